using System.Globalization;
using System.Text.RegularExpressions;
using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.EdgeAgent.Metrics;
using EdgeIoT.Hardware;
using EdgeIoT.Hardware.Simulated;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeIoT.EdgeAgent.Tests;

public sealed partial class AgentMetricsTests
{
    [Fact]
    public async Task Scrape_AfterCameraScan_HistogramAndCounterMatchDecision()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using TestHub hub = await TestHub.StartAsync();
        await hub.PublishVenueStateAsync(keys);
        await using var camera = new SimulatedCamera();
        int metricsPort = TestHub.FreeLoopbackPort();
        using IHost host = AgentApp.Build(
            [],
            options =>
            {
                options.DeviceId = "lane-metrics";
                options.Venue = TestHub.Venue;
                options.EventId = VenueKeys.EventId;
                options.DataDirectory = folder.Path;
                options.RootPublicKey = keys.RootPublicKeyBase64;
                options.Mqtt.Port = hub.Port;
                options.Mqtt.ReconnectMinDelay = TimeSpan.FromMilliseconds(50);
                options.TrustLocalClock = true;
                options.OnlineCheckTimeout = TimeSpan.FromMilliseconds(500);
                options.Metrics.Enabled = true;
                options.Metrics.Port = metricsPort;
            },
            services => services.AddSingleton<IScanner>(camera));
        var decided = new TaskCompletionSource<AgentDecision>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Services.GetRequiredService<DecisionPipeline>().Decided += (_, decision) => decided.TrySetResult(decision);
        Task venueState = WaitForKeysAndSnapshotAsync(host.Services.GetRequiredService<HubState>(), timeout.Token);

        await host.StartAsync(timeout.Token);
        await venueState;
        await camera.PresentAsync(QrImages.RenderPng(keys.Issue(1001)));
        AgentDecision decision = await decided.Task.WaitAsync(timeout.Token);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        string text = await ScrapeAfterDecisionAsync(http, metricsPort, timeout.Token);
        await host.StopAsync(timeout.Token);

        string outcome = decision.Admitted ? "admit" : "deny";
        Assert.Equal(1, Sample(text, "edgeiot_decisions_total", "device=\"lane-metrics\"", $"outcome=\"{outcome}\"", $"mode=\"{decision.Mode}\""));
        double latencyMs = decision.Latency.TotalMilliseconds;
        foreach (double bound in AgentMetrics.LatencyBucketsMs)
        {
            string le = "le=\"" + bound.ToString(CultureInfo.InvariantCulture) + "\"";
            Assert.Equal(latencyMs <= bound ? 1 : 0, Sample(text, "edgeiot_decision_latency_milliseconds_bucket", "device=\"lane-metrics\"", le));
        }

        Assert.Equal(1, Sample(text, "edgeiot_decision_latency_milliseconds_count", "device=\"lane-metrics\""));
        Assert.Equal(1, Sample(text, "edgeiot_mqtt_connections", "device=\"lane-metrics\""));
        Assert.True(Sample(text, "edgeiot_key_age_seconds", "device=\"lane-metrics\"") >= 0);
        Assert.True(Sample(text, "edgeiot_outbox_last_seq", "device=\"lane-metrics\"") >= 1);
        Assert.Equal(1, Sample(text, "edgeiot_lane_ready", "device=\"lane-metrics\""));
    }

    [Fact]
    public void Options_PortOutOfRange_ErrorNamesKey()
    {
        var options = new AgentMetricsOptions { Enabled = true, Port = 70000 };

        Assert.Equal("Agent:Metrics:Port 70000 is invalid: use 1 to 65535.", options.FindProblem());
    }

    /// <summary>Sums the values of the sample lines named <paramref name="name"/> that carry every label given.</summary>
    /// <summary>
    /// Scrapes until the histogram shows the decision. The metrics service records it from the
    /// same Decided event that released the test, so a first scrape can come in between.
    /// </summary>
    private static async Task<string> ScrapeAfterDecisionAsync(HttpClient http, int port, CancellationToken cancellationToken)
    {
        while (true)
        {
            string text = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics", cancellationToken);
            if (text.Contains("edgeiot_decision_latency_milliseconds_count{", StringComparison.Ordinal)
                && Sample(text, "edgeiot_decision_latency_milliseconds_count", "device=\"lane-metrics\"") >= 1)
            {
                return text;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }

    private static double Sample(string text, string name, params string[] labels)
    {
        double sum = 0;
        bool found = false;
        foreach (string line in text.Split('\n'))
        {
            Match match = SampleLine().Match(line);
            if (!match.Success || match.Groups["name"].Value != name
                || !labels.All(label => match.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                continue;
            }

            found = true;
            sum += double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }

        Assert.True(found, $"No sample {name} with {string.Join(", ", labels)} in:\n{text}");
        return sum;
    }

    private static async Task WaitForKeysAndSnapshotAsync(HubState state, CancellationToken cancellationToken)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        state.Installed += (_, _) =>
        {
            if (state.Verifier.Keys is not null && state.Snapshot is not null && state.Policy is not null)
            {
                ready.TrySetResult();
            }
        };
        await ready.Task.WaitAsync(cancellationToken);
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)")]
    private static partial Regex SampleLine();
}
