using System.ComponentModel.DataAnnotations;

namespace ImageApi.Orchestration;

/// <summary>How the app reaches its Dapr sidecar, bound from the <c>Dapr</c> configuration section.</summary>
public sealed class DaprOptions : IValidatableObject
{
    public const string SectionName = "Dapr";

    [Required(ErrorMessage = "Dapr:PubSubName must name a component")]
    public string PubSubName { get; set; } = DaprNames.PubSub;

    [Required(ErrorMessage = "Dapr:StateStoreName must name a component")]
    public string StateStoreName { get; set; } = DaprNames.StateStore;

    /// <summary>The sidecar's HTTP endpoint. Empty: Dapr's own convention (<c>DAPR_HTTP_ENDPOINT</c>, else
    /// <c>http://127.0.0.1:$DAPR_HTTP_PORT</c>, port 3500 by default).</summary>
    public string HttpEndpoint { get; set; } = "";

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(HttpEndpoint) && !Uri.TryCreate(HttpEndpoint, UriKind.Absolute, out _))
            yield return new ValidationResult("Dapr:HttpEndpoint must be empty or an absolute URI", [nameof(HttpEndpoint)]);
    }
}

/// <summary>Start-up check of <see cref="DaprOptions"/>: component names and the sidecar endpoint.</summary>
[OptionsValidator]
public sealed partial class DaprOptionsValidator : IValidateOptions<DaprOptions>;
