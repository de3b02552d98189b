namespace ImageApi.Contracts;

/// <summary>One FastAPI-style validation error: <c>{"loc": [...], "msg": "...", "type": "..."}</c>.
/// <c>loc</c> items are strings (field names) or integers (array indices).</summary>
public sealed record ValidationIssue(IReadOnlyList<object> Loc, string Msg, string Type);
