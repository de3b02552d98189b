using ImageApi.Hosting;
using ImageApi.Templates;

namespace ImageApi.Identification;

/// <summary>DI registration of 1:N identification.</summary>
public static class IdentificationRegistration
{
    /// <summary>Registers the gallery store (SQLite or PostgreSQL, <see cref="IdentificationOptions.Store"/>), the
    /// index (rebuilt from the store at start-up, before readiness), the replica follower and the
    /// <c>face-identifier</c> service; the template services it extracts with come along. Map the management routes
    /// with <c>app.MapGalleries()</c>. Safe to call more than once.</summary>
    public static IServiceCollection AddIdentification(this IServiceCollection services)
    {
        if (!services.RegistersFirst(nameof(AddIdentification))) return services;
        services.AddFaceTemplates();
        services.AddHttpContextAccessor();
        services.AddOptions<IdentificationOptions>().BindConfiguration(IdentificationOptions.SectionName).ValidateOnStart(new IdentificationOptionsValidator());
        services.AddSingleton<IGalleryStore>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<IdentificationOptions>>().Value;
            if (o.Store == GalleryStoreKind.Postgres) return new PostgresGalleryStore(o.PostgresConnectionString, o.NotifyChannel);
            var dir = Path.IsPathRooted(o.DataDirectory)
                ? o.DataDirectory
                : Path.Combine(sp.GetRequiredService<IHostEnvironment>().ContentRootPath, o.DataDirectory);
            return new SqliteGalleryStore(dir);
        });
        services.AddWarmable<Galleries>();
        services.AddSingleton<SampleFaces>();
        services.AddHostedService<GalleryChangeFollower>();
        services.AddSingleton<IInfoContributor, IdentificationInfoContributor>();
        services.AddImageApiService<FaceIdentifierService>(ServiceNames.FaceIdentifier);
        return services;
    }
}
