namespace EdgeIoT.Hub.Tests.Dashboard;

/// <summary>
/// Tests that read exact metric values. OpenTelemetry listens to every meter of a name in the
/// process, so these run alone, after the tests that start other hubs in parallel.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics";
}
