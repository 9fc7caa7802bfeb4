using System.Net;
using System.Text;
using EdgeIoT.EdgeAgent.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeIoT.EdgeAgent.Tests;

public sealed class AgentOptionsResolverTests
{
    private const string RootKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Enrollment_FirstStart_StoresCredentialsOwnerOnly()
    {
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        int port = TestHub.FreeLoopbackPort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        Task<string> served = ServeEnrollmentAsync(listener, timeout.Token);
        using IHost host = AgentApp.Build([], options =>
        {
            options.DeviceId = "lane-7";
            options.DataDirectory = folder.Path;
            options.EnrollUrl = $"http://127.0.0.1:{port}/";
        });

        AgentOptions resolved = host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
        string requestBody = await served;

        using var request = System.Text.Json.JsonDocument.Parse(requestBody);
        Assert.Equal("lane-7", request.RootElement.GetProperty("deviceId").GetString());
        Assert.Equal("agent", request.RootElement.GetProperty("deviceClass").GetString());
        Assert.Equal("mqtt-lane-7", resolved.Mqtt.Username);
        Assert.Equal("s3cret", resolved.Mqtt.Password);
        Assert.Equal("enrolled-venue", resolved.Venue);
        Assert.Equal(RootKey, resolved.RootPublicKey);
        Assert.Equal(18830, resolved.Mqtt.Port);
        string stored = Path.Combine(folder.Path, AgentOptionsResolver.CredentialsFileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(stored));
    }

    [Fact]
    public async Task Enrollment_SecondStart_ReusesStoredCredentials()
    {
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        int port = TestHub.FreeLoopbackPort();
        using (var listener = new HttpListener())
        {
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            listener.Start();
            Task<string> served = ServeEnrollmentAsync(listener, timeout.Token);
            using IHost first = BuildEnrollingHost(folder.Path, port);
            _ = first.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
            await served;
        }

        // The enrollment endpoint is gone now, so a second enrollment would fail the start.
        using IHost second = BuildEnrollingHost(folder.Path, port);
        AgentOptions resolved = second.Services.GetRequiredService<IOptions<AgentOptions>>().Value;

        Assert.Equal("mqtt-lane-7", resolved.Mqtt.Username);
    }

    [Fact]
    public void HubEndpointsFile_Set_FillsPortVenueAndRootKey()
    {
        using var folder = new TempFolder();
        string endpoints = Path.Combine(folder.Path, "hub.endpoints.json");
        File.WriteAllText(
            endpoints,
            $$"""{"mqttPort": 24567, "httpUrl": null, "venue": "file-venue", "eventId": 9, "rootPublicKey": "{{RootKey}}"}""");
        using IHost host = AgentApp.Build([], options =>
        {
            options.DeviceId = "lane-8";
            options.DataDirectory = folder.Path;
            options.HubEndpointsFile = endpoints;
        });

        AgentOptions resolved = host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;

        Assert.Equal(24567, resolved.Mqtt.Port);
        Assert.Equal("file-venue", resolved.Venue);
        Assert.Equal(9u, resolved.EventId);
        Assert.Equal(RootKey, resolved.RootPublicKey);
    }

    private static IHost BuildEnrollingHost(string dataDirectory, int port) => AgentApp.Build([], options =>
    {
        options.DeviceId = "lane-7";
        options.DataDirectory = dataDirectory;
        options.EnrollUrl = $"http://127.0.0.1:{port}/";
    });

    private static async Task<string> ServeEnrollmentAsync(HttpListener listener, CancellationToken cancellationToken)
    {
        HttpListenerContext context = await listener.GetContextAsync().WaitAsync(cancellationToken);
        Assert.Equal("/api/devices", context.Request.Url?.AbsolutePath);
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        string body = await reader.ReadToEndAsync(cancellationToken);

        byte[] response = Encoding.UTF8.GetBytes($$"""
            {"deviceId": "lane-7", "mqttUsername": "mqtt-lane-7", "mqttPassword": "s3cret",
             "venue": "enrolled-venue", "eventId": 5, "rootPublicKey": "{{RootKey}}", "mqttPort": 18830}
            """);
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(response, cancellationToken);
        context.Response.Close();
        return body;
    }
}
