namespace ImageApi.Orchestration;

/// <summary>What the subscriber route answers the sidecar (Dapr's <c>{"status": ...}</c> contract).</summary>
public enum DeliveryStatus
{
    /// <summary>Handled (answered now or before): remove the message.</summary>
    Success,

    /// <summary>A transient failure (state store or publish): deliver again, then dead-letter.</summary>
    Retry,

    /// <summary>Can never be processed: Dapr forwards it to the subscription's dead-letter topic.</summary>
    Drop,
}
