using EdgeIoT.Simulator.Orchestration;
using EdgeIoT.Simulator.Reporting;

namespace EdgeIoT.Simulator.Tests;

public sealed class RunSamplerTests
{
    [Fact]
    public void Place_SkippedSecond_RepeatsPreviousReading()
    {
        var series = new List<QueueSample>();

        Add(series, new QueueSample(0, 1, 0, 5, 0));
        Add(series, new QueueSample(3, 2, 0, 9, 0));

        Assert.Equal([0, 1, 2, 3], series.Select(s => s.Second));
        Assert.Equal(5, series[2].CheckIns);
        Assert.Equal(9, series[3].CheckIns);
    }

    [Fact]
    public void Place_SameSecondTwice_KeepsLaterReading()
    {
        var series = new List<QueueSample>();

        Add(series, new QueueSample(0, 1, 0, 5, 0));
        Add(series, new QueueSample(0, 1, 0, 7, 0));

        QueueSample only = Assert.Single(series);
        Assert.Equal(7, only.CheckIns);
    }

    private static void Add(List<QueueSample> series, QueueSample sample) =>
        RunSampler.Place(series, sample, s => s.Second, (s, at) => s with { Second = at });
}
