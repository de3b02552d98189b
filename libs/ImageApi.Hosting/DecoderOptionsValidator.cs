using ImageApi.Imaging;
using Microsoft.Extensions.Options;

namespace ImageApi.Hosting;

/// <summary>Start-up check of <see cref="DecoderOptions"/>'s attributes. Here, not beside the options: the imaging
/// library does not reference the options package.</summary>
[OptionsValidator]
public sealed partial class DecoderOptionsValidator : IValidateOptions<DecoderOptions>;
