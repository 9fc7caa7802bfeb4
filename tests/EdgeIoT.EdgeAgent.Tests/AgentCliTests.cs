using System.Net;
using System.Text;
using EdgeIoT.EdgeAgent.Configuration;
using EdgeIoT.EndToEnd.Tests;

namespace EdgeIoT.EdgeAgent.Tests;

/// <summary>
/// The agent's command line as its own process (dotnet EdgeIoT.EdgeAgent.dll) against a small
/// enrollment endpoint on 127.0.0.1 that plays the hub's POST /api/devices.
/// </summary>
public sealed class AgentCliTests
{
    private const string RootKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Doctor_NoStoredCredentials_DoesNotEnroll()
    {
        using var folder = new TempFolder();
        await using var hub = EnrollmentEndpoint.Start(HttpStatusCode.OK);

        CliRun run = await RunAgentAsync(["doctor", .. Settings(folder.Path, hub.Url)]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(0, hub.Requests);
        Assert.False(File.Exists(Path.Combine(folder.Path, AgentOptionsResolver.CredentialsFileName)));
        Assert.Contains($"no credentials in {Path.Combine(folder.Path, AgentOptionsResolver.CredentialsFileName)}", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_EnrollmentWithoutOperatorToken_Exit2OneLine()
    {
        using var folder = new TempFolder();
        await using var hub = EnrollmentEndpoint.Start(HttpStatusCode.Unauthorized);

        CliRun run = await RunAgentAsync(["run", .. Settings(folder.Path, hub.Url)]);

        string[] errors = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal(1, hub.Requests);
        Assert.Single(errors);
        Assert.Contains("failed with HTTP 401 because EDGEIOT_OPERATOR_TOKEN is not set", errors[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Agent:Mqtt:Prot=1884", "Agent:Mqtt:Prot is not an edge agent setting")]
    [InlineData("--Agent:OutboxCapacity=lots", "Agent:OutboxCapacity 'lots' is invalid: use a whole number")]
    [InlineData("--device-id", "Unrecognized option or argument '--device-id'")]
    public async Task Run_MistypedSetting_Exit2BeforeEnrolling(string mistake, string expected)
    {
        using var folder = new TempFolder();
        await using var hub = EnrollmentEndpoint.Start(HttpStatusCode.OK);

        CliRun run = await RunAgentAsync(["run", .. Settings(folder.Path, hub.Url), mistake]);

        string[] errors = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal(0, hub.Requests);
        Assert.Single(errors);
        Assert.Contains(expected, errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ExplainsSettings()
    {
        CliRun run = await RunAgentAsync(["run", "--help"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Any setting, such as --Agent:DeviceId=lane-2", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Additional Arguments", run.Output, StringComparison.Ordinal);
    }

    private static string[] Settings(string dataDirectory, string enrollUrl) =>
    [
        "--Agent:DeviceId=lane-3",
        "--Agent:Venue=cli-venue",
        $"--Agent:RootPublicKey={RootKey}",
        $"--Agent:DataDirectory={dataDirectory}",
        $"--Agent:EnrollUrl={enrollUrl}",
        $"--Agent:Mqtt:Port={TestHub.FreeLoopbackPort()}",
        "--Agent:Hardware:Mode=simulated",
    ];

    // The token would let the agent enroll on its own, so the tests decide whether it has one.
    private static Task<CliRun> RunAgentAsync(IEnumerable<string> arguments) =>
        CliRun.RunDllAsync(
            typeof(AgentApp).Assembly.Location, arguments, ExitTimeout, unset: [AgentOptionsResolver.OperatorTokenVariable]);

    /// <summary>Answers every POST /api/devices with one status, and counts the requests.</summary>
    private sealed class EnrollmentEndpoint : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly HttpStatusCode _status;
        private Task _serving = Task.CompletedTask;
        private int _requests;

        private EnrollmentEndpoint(HttpStatusCode status, int port)
        {
            _status = status;
            Url = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(Url);
        }

        public string Url { get; }

        public int Requests => Volatile.Read(ref _requests);

        public static EnrollmentEndpoint Start(HttpStatusCode status)
        {
            var endpoint = new EnrollmentEndpoint(status, TestHub.FreeLoopbackPort());
            endpoint._listener.Start();
            endpoint._serving = endpoint.ServeAsync();
            return endpoint;
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try
            {
                await _serving;
            }
            catch (HttpListenerException)
            {
                // Stop ends the pending GetContextAsync.
            }
            catch (ObjectDisposedException)
            {
                // Stop ends the pending GetContextAsync.
            }

            _listener.Close();
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context = await _listener.GetContextAsync();
                Interlocked.Increment(ref _requests);
                byte[] body = Encoding.UTF8.GetBytes(_status == HttpStatusCode.OK
                    ? $$"""{"deviceId": "lane-3", "mqttUsername": "lane-3", "mqttPassword": "s3cret", "venue": "cli-venue", "eventId": 1, "rootPublicKey": "{{RootKey}}", "mqttPort": 1}"""
                    : """{"title": "Unauthorized"}""");
                context.Response.StatusCode = (int)_status;
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }
    }
}
