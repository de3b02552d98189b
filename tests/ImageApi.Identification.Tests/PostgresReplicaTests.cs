using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace ImageApi.Identification.Tests;

/// <summary>services/face-identifier on PostgreSQL (Identification:Store = Postgres) in a database of its own;
/// <paramref name="approximate"/>: every gallery on the approximate index (ApproximateAbove = 0), candidates re-scored
/// from PostgreSQL.</summary>
internal sealed class PostgresIdentifier(string connectionString, bool approximate = false) : WebApplicationFactory<ImageApi.Hosts.FaceIdentifier.Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Identification:Store", "Postgres");
        builder.UseSetting("Identification:PostgresConnectionString", connectionString);
        if (approximate) builder.UseSetting("Identification:ApproximateAbove", "0");
    }
}

/// <summary>
/// Two replicas of face-identifier over one PostgreSQL database (LISTEN/NOTIFY): what one enrols, the other finds
/// within <see cref="Bound"/>; what one forgets, the other stops finding. Needs the server of .ci/postgres.sh
/// (IMAGEAPI_TEST_POSTGRES, set by .ci/test.sh): without it these tests fail, they do not skip.
/// </summary>
public sealed class PostgresReplicaTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The documented bound for a change to reach another replica (docs/identification.md).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    private readonly string _admin = Environment.GetEnvironmentVariable("IMAGEAPI_TEST_POSTGRES")
                                     ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";
    private readonly string _database = "imageapi_test_" + Guid.NewGuid().ToString("N")[..12];
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        try
        {
            await using var c = new NpgsqlConnection(_admin);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {_database}", c);
            await cmd.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException("PostgreSQL is not reachable: run `bash .ci/postgres.sh` and export IMAGEAPI_TEST_POSTGRES", e);
        }

        _connectionString = new NpgsqlConnectionStringBuilder(_admin) { Database = _database }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var c = new NpgsqlConnection(_admin);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", c);
        await cmd.ExecuteNonQueryAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EnrolmentOnOneReplica_IsFoundOnTheOther_WithinTheBound(bool approximate)
    {
        await using var a = new PostgresIdentifier(_connectionString, approximate);
        await using var b = new PostgresIdentifier(_connectionString, approximate);
        var apiA = Api.Of(a);
        var apiB = Api.Of(b);
        Assert.Equal(200, (await apiB.GetAsync("/galleries")).Status); // B is up and listening before A writes

        await apiA.CreateGalleryAsync("shared");

        // A probe template made once (on A, before the enrolment, so that the time measured below is the change's way
        // to B and B's searches, not a model run on a busy machine), searched on B until found.
        var (_, extracted) = await apiA.PostAsync("/face-identifier/process/sample?gallery=shared&echo_image=false", Bodies.Image("obama_2.jpg"));
        var probe = new JsonObject { ["objects"] = new JsonArray(new JsonObject
        {
            ["class"] = "face", ["$template"] = Bodies.Faces(extracted)[0]["$template"]!.DeepClone(),
        }) };

        await apiA.AddPersonAsync("shared", "obama");
        await apiA.EnrolImageAsync("shared", "obama", "obama_1.jpg");
        var enrolled = Stopwatch.StartNew();
        Assert.Equal("obama", await FirstMatchWithinAsync(apiB, probe, "obama"));
        var seen = enrolled.Elapsed;
        var (_, info) = await apiB.GetAsync("/info");
        Assert.Equal(approximate ? 1 : 0, info!["identification"]!["approximate_galleries"]!.GetValue<int>());
        output.WriteLine($"replica B found the enrolment {seen.TotalMilliseconds:F0} ms after A's answer (including B's searches)");
        Assert.True(seen <= Bound, $"replica B found the enrolment after {seen.TotalMilliseconds:F0} ms (bound {Bound.TotalMilliseconds} ms)");

        // Right to be forgotten, across replicas: deleted on B, gone from A's index within the bound.
        Assert.Equal(204, (await apiB.DeleteAsync("/galleries/shared/persons/obama")).Status);
        var deleted = Stopwatch.StartNew();
        Assert.Null(await FirstMatchWithinAsync(apiA, probe, null));
        output.WriteLine($"replica A stopped matching the deleted person {deleted.Elapsed.TotalMilliseconds:F0} ms after B's answer");
        Assert.True(deleted.Elapsed <= Bound, $"replica A still matched after {deleted.Elapsed.TotalMilliseconds:F0} ms");

        // A third replica started now rebuilds from the database: the gallery is there, the person is not.
        await using var c = new PostgresIdentifier(_connectionString, approximate);
        var (_, gallery) = await Api.Of(c).GetAsync("/galleries/shared");
        Assert.Equal(0, gallery!["templates"]!.GetValue<int>());
    }

    [Fact]
    public async Task DuplicatePersonAcrossReplicas_409_AndSchemaCreationIsIdempotent()
    {
        await using var a = new PostgresIdentifier(_connectionString);
        await using var b = new PostgresIdentifier(_connectionString);
        var apiA = Api.Of(a);
        var apiB = Api.Of(b);
        await apiA.CreateGalleryAsync("g");
        Assert.Equal(409, (await apiB.PostAsync("/galleries", new JsonObject { ["id"] = "g" })).Status);
        await apiB.AddPersonAsync("g", "p");
        var (status, body) = await apiA.PostAsync("/galleries/g/persons", new JsonObject { ["id"] = "p" });
        Assert.Equal(409, status);
        Assert.Equal("Person 'p' already exists in gallery 'g'", Bodies.Detail(body));
    }

    /// <summary>Polls the replica until its first match is <paramref name="expected"/> (null: no match) or the bound
    /// (with slack for the search itself) runs out; returns the last first match.</summary>
    private static async Task<string?> FirstMatchWithinAsync(Api api, JsonObject probe, string? expected)
    {
        var deadline = Stopwatch.StartNew();
        string? first;
        do
        {
            var (status, answer) = await api.PostAsync("/face-identifier/process/sample?gallery=shared&threshold=0", probe.DeepClone());
            Assert.Equal(200, status);
            var matches = answer!["objects"]![0]!["matches"]!.AsArray();
            first = matches.Count > 0 ? matches[0]!["person_id"]!.GetValue<string>() : null;
            if (first == expected) return first;
            await Task.Delay(20);
        }
        while (deadline.Elapsed < Bound + TimeSpan.FromSeconds(1));

        return first;
    }
}
