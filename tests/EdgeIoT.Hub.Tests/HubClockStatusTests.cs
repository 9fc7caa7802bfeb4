using System.Net.Http.Json;
using EdgeIoT.Hub.Api;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Hub.Tests;

/// <summary>The hub's status while its wall clock is a day wrong, as an operator reads it.</summary>
public sealed class HubClockStatusTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task Status_DayForward_ReportsHubStep()
    {
        var wall = new OffsetClock();
        await using HubHarness hub = await HubHarness.StartAsync(time: wall);
        StatusResponse before = (await hub.Http.GetFromJsonAsync<StatusResponse>("/api/status"))!;

        wall.Offset = Day;
        StatusResponse during = (await hub.Http.GetFromJsonAsync<StatusResponse>("/api/status"))!;

        Assert.Equal("synchronized", before.Clock!.State);
        Assert.Equal("hub_step", during.Clock!.State);
        long dayMs = (long)Day.TotalMilliseconds;
        Assert.InRange(during.Clock.WallClockDifferenceMs, dayMs - 30_000, dayMs + 30_000);
        long trueNowMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.InRange(during.NowMs, trueNowMs - 30_000, trueNowMs);
        CapturedLogs.LogEntry stepLogged = await hub.Logs.WaitForAsync(entry => entry.EventId == 2101);
        Assert.Equal(LogLevel.Warning, stepLogged.Level);
    }

    [Fact]
    public async Task Status_StepBackInsideHold_Synchronized()
    {
        var wall = new OffsetClock();
        await using HubHarness hub = await HubHarness.StartAsync(time: wall);
        wall.Offset = Day;
        await hub.Http.GetFromJsonAsync<StatusResponse>("/api/status");

        wall.Offset = TimeSpan.Zero;
        StatusResponse after = (await hub.Http.GetFromJsonAsync<StatusResponse>("/api/status"))!;

        Assert.Equal("synchronized", after.Clock!.State);
        Assert.Equal(0, after.Clock.WallClockDifferenceMs);
        await hub.Logs.WaitForAsync(entry => entry.EventId == 2102);
    }

    /// <summary>The system clock set off by <see cref="Offset"/>, as by a wrong date. Timestamps stay the system's.</summary>
    private sealed class OffsetClock : TimeProvider
    {
        private long _offsetTicks;

        public TimeSpan Offset
        {
            get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
            set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
        }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
    }
}
