using EdgeIoT.Simulator.Reporting;

namespace EdgeIoT.Simulator.Tests;

/// <summary>ESP32 lanes with an NFC reader: guests tap tags and the firmware core decides on them.</summary>
[Trait("Category", "EndToEnd")]
public sealed class FirmwareNfcTests : IDisposable
{
    private readonly string _folder = TestPaths.NewTempFolder("esp32-nfc");

    [Fact]
    public async Task Esp32NfcLane_AllTap_DecidedOnTags()
    {
        string scenario = Path.Combine(_folder, "esp32-nfc.json");
        string policy = Path.Combine(TestPaths.Root, "simulators", "data", "policies", "grant-valid.json");
        await File.WriteAllTextAsync(scenario, $$"""
            {
              "name": "esp32-nfc",
              "seed": 5,
              "policy": "{{policy}}",
              "venue": { "lanes": [ { "kind": "esp32", "nfc": true } ] },
              "crowd": { "durationSeconds": 6, "arriving": 30, "walkIns": 0, "creatorAssistants": 0,
                         "badActors": { "screenshotReplays": 0, "forged": 0, "expired": 0, "otherEvent": 0, "garbage": 0 },
                         "nfc": { "tagShare": 1 } },
              "faults": [],
              "expect": [ "lost == 0", "undecided == 0" ]
            }
            """);

        EventReport report = await ScenarioRun.RunAsync(scenario, shortForm: false);

        Assert.True(report.Passed, string.Join(Environment.NewLine, report.Failures));
        Assert.Equal(30, report.Decisions.Scans);
        Assert.Equal(30, report.Decisions.ByNfcTag);
        Assert.Equal(30, report.Decisions.Admitted);
        Assert.Equal(30, report.Latency["firmware"].Count);
        Assert.Equal(0, report.Reconciliation.Lost);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
