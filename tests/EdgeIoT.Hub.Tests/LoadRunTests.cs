using EdgeIoT.LoadBench;

namespace EdgeIoT.Hub.Tests;

/// <summary>
/// The load benchmark in a bounded form: a few seconds of the normal and rush profile. It checks
/// that nothing acknowledged was lost and that no publish failed, never how fast it went.
/// </summary>
public sealed class LoadRunTests
{
    private static readonly LoadProfile ShortProfile = new()
    {
        Gates = 10,
        BaseRate = 100,
        RushFactor = 10,
        WarmUp = TimeSpan.FromSeconds(0.5),
        PhaseDuration = TimeSpan.FromSeconds(1),
    };

    [Fact]
    public async Task LoadRun_Hub_AckedEventsStored()
    {
        TargetReport report = await LoadRun.RunHubAsync(ShortProfile, _ => { });

        Assert.Equal(0, report.Normal.Failed + report.Rush.Failed);
        Assert.Equal(report.Normal.Offered, report.Normal.Acknowledged);
        Assert.Equal(report.Rush.Offered, report.Rush.Acknowledged);
        Assert.Equal(report.Acknowledged, report.Delivered);
    }

    [Fact]
    public async Task LoadRun_HubProcess_AckedEventsStored()
    {
        TargetReport report = await LoadRun.RunHubAsync(ShortProfile, _ => { }, hubProcess: true);

        Assert.Equal(0, report.Normal.Failed + report.Rush.Failed);
        Assert.Equal(report.Rush.Offered, report.Rush.Acknowledged);
        Assert.Equal(report.Acknowledged, report.Delivered);
        Assert.True(report.HubProcessorTime > TimeSpan.Zero, $"hub processor time {report.HubProcessorTime}");
    }

    [MosquittoFact]
    public async Task LoadRun_Mosquitto_AckedEventsForwarded()
    {
        TargetReport report = await LoadRun.RunMosquittoAsync(ShortProfile, _ => { });

        Assert.Equal(0, report.Normal.Failed + report.Rush.Failed);
        Assert.True(report.NoAcknowledgedEventLost, $"{report.Delivered} of {report.Acknowledged} forwarded");
    }
}
