using System.Text;
using Xunit.Sdk;
using YamlDotNet.RepresentationModel;

namespace ImageApi.Chart.Tests;

/// <summary>
/// Read-only view of a YAML node that remembers its path, so a failed lookup says where it looked.
/// A missing key yields a node with <see cref="Exists"/> false instead of throwing.
/// </summary>
internal sealed class Node
{
    private readonly YamlNode? _node;

    private Node(YamlNode? node, string path)
    {
        _node = node;
        Path = path;
    }

    public string Path { get; }

    /// <summary>False for a missing key and for a YAML null (<c>key:</c>, <c>~</c>, <c>null</c>).</summary>
    public bool Exists => _node is not null && !IsNull(_node);

    public bool IsMap => _node is YamlMappingNode;

    public Node this[string key]
    {
        get
        {
            var child = _node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
            return new Node(child, $"{Path}.{key}");
        }
    }

    public Node this[int index]
    {
        get
        {
            var child = _node is YamlSequenceNode seq && index < seq.Children.Count ? seq.Children[index] : null;
            return new Node(child, $"{Path}[{index}]");
        }
    }

    /// <summary>The scalar value, or null when missing or not a scalar.</summary>
    public string? Value => _node is YamlScalarNode s && Exists ? s.Value : null;

    /// <summary>The scalar value; fails the test when missing.</summary>
    public string Str => Value ?? throw new XunitException($"{Path}: expected a scalar, found {(_node is null ? "nothing" : _node.NodeType.ToString())}");

    public IReadOnlyList<Node> Items =>
        _node is YamlSequenceNode seq ? seq.Children.Select((c, i) => new Node(c, $"{Path}[{i}]")).ToList() : [];

    public IReadOnlyList<KeyValuePair<string, Node>> Entries =>
        _node is YamlMappingNode map
            ? map.Children.Select(kv => new KeyValuePair<string, Node>(((YamlScalarNode)kv.Key).Value ?? "", new Node(kv.Value, $"{Path}.{((YamlScalarNode)kv.Key).Value}"))).ToList()
            : [];

    public IReadOnlyList<string> Keys => Entries.Select(e => e.Key).ToList();

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    /// <summary>A canonical text form (maps sorted by key, scalars by value), for comparing two trees.</summary>
    public string Canonical()
    {
        var sb = new StringBuilder();
        Write(_node, sb);
        return sb.ToString();

        static void Write(YamlNode? node, StringBuilder sb)
        {
            switch (node)
            {
                case YamlMappingNode map:
                    sb.Append('{');
                    foreach (var kv in map.Children.OrderBy(kv => ((YamlScalarNode)kv.Key).Value, StringComparer.Ordinal))
                    {
                        sb.Append(((YamlScalarNode)kv.Key).Value).Append(':');
                        Write(kv.Value, sb);
                        sb.Append(';');
                    }

                    sb.Append('}');
                    break;
                case YamlSequenceNode seq:
                    sb.Append('[');
                    foreach (var item in seq.Children)
                    {
                        Write(item, sb);
                        sb.Append(',');
                    }

                    sb.Append(']');
                    break;
                case YamlScalarNode scalar:
                    sb.Append('"').Append(scalar.Value).Append('"');
                    break;
                default:
                    sb.Append("null");
                    break;
            }
        }
    }

    public override string ToString() => $"{Path} = {Canonical()}";

    /// <summary>Every document of a (multi-document) YAML file; empty documents are dropped.</summary>
    public static IReadOnlyList<Node> LoadAll(string file)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(file))
        {
            stream.Load(reader);
        }

        var name = System.IO.Path.GetFileName(file);
        return stream.Documents
            .Where(d => d.RootNode is YamlMappingNode { Children.Count: > 0 })
            .Select((d, i) => new Node(d.RootNode, $"{name}#{i}"))
            .ToList();
    }

    /// <summary>The single document of a YAML file.</summary>
    public static Node Load(string file)
    {
        var docs = LoadAll(file);
        return docs.Count == 1 ? docs[0] : throw new XunitException($"{file}: expected one YAML document, found {docs.Count}");
    }
}
