namespace ImageApi.Templates;

/// <summary>How the vector is stored in a template blob (the byte after the format version).</summary>
public enum TemplateElementType : byte
{
    /// <summary>IEEE float32, 4 bytes per element.</summary>
    Float32 = 1,

    /// <summary>IEEE float16, 2 bytes per element.</summary>
    Float16 = 2,

    /// <summary>Symmetric int8: one float32 scale, then one signed byte per element (value = byte × scale).</summary>
    Int8 = 3,
}
