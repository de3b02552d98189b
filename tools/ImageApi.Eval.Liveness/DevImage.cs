namespace ImageApi.Eval.Liveness;

/// <summary>One labelled image: path relative to its set, bona fide or attack, and the subject (person/session).</summary>
internal sealed record DevImage(string File, bool IsReal, string Subject);
