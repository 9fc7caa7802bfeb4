using EdgeIoT.Simulator.Reporting;

namespace EdgeIoT.Simulator.Tests;

/// <summary>
/// Keyboard-mode (HID) scanners at agent lanes, read by the agent's real evdev driver: a
/// scanner on the agent's layout admits, and one set to another layout is denied as a real
/// lane denies it.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class HidScannerTests
{
    [Fact]
    public async Task WrongLayoutLane_ShortForm_DeniedScannerMisconfigured()
    {
        EventReport report = await ScenarioRun.ShortFormAsync("hid-wrong-layout");

        Assert.True(report.Passed, string.Join(Environment.NewLine, report.Failures));
        Assert.Equal(0, report.Decisions.Undecided);
        Assert.True(report.Decisions.Admitted > 0, "the lane on the agent's layout admitted nobody");

        // Every deny comes from the German-layout lane: garbled text, never a token check.
        string reason = Assert.Single(report.Decisions.DeniedByReason.Keys);
        Assert.Equal("scanner_misconfigured", reason);
        Assert.Equal(report.Decisions.Denied, report.Decisions.DeniedByReason[reason]);
        Assert.Equal(0, report.Reconciliation.Lost);

        // The power cut takes the USB scanner down with the board, and the restarted agent reads it again.
        Assert.Contains(report.Faults, f => f.Kind == "power-loss" && f.Target == "agent-1");
    }
}
