namespace ImageApi.Attributes;

/// <summary>How the mask classifier's prior boxes give one P(mask) for the face of a crop.</summary>
public enum MaskPooling
{
    /// <summary>The highest-scoring box (SOURCE.md).</summary>
    Top,

    /// <summary>Score-weighted mean over the boxes that found a face where the request's box is.</summary>
    Centred,
}
