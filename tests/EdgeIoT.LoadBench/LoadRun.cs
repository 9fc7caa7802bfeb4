namespace EdgeIoT.LoadBench;

/// <summary>Runs the warm-up, normal and rush phases against the hub and against the Mosquitto baseline.</summary>
public static class LoadRun
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    /// <param name="profile">Gates, rates and phase lengths.</param>
    /// <param name="progress">Receives one line per step.</param>
    /// <param name="hubProcess">Runs the hub as its own process instead of in this one.</param>
    public static async Task<TargetReport> RunHubAsync(LoadProfile profile, Action<string> progress, bool hubProcess = false)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(progress);

        await using HubTarget hub = hubProcess
            ? await HubTarget.StartProcessAsync(profile.Venue)
            : await HubTarget.StartAsync(profile.Venue);
        await using GateFleet gates = await GateFleet.ConnectAsync(profile, hub.Endpoints.MqttPort, hub.EnrollAsync);
        string target = hubProcess ? "hub process" : "hub";
        progress($"{target}: warm-up, {profile.BaseRate}/s for {profile.WarmUp.TotalSeconds} s");
        PhaseResult warmUp = await gates.RunPhaseAsync("warm-up", profile.BaseRate, profile.WarmUp);
        TimeSpan? cpuBefore = hub.HubProcessorTime;
        (PhaseResult normal, PhaseResult rush) = await RunMeasuredPhasesAsync(target, gates, profile, progress);
        TimeSpan? cpu = hub.HubProcessorTime - cpuBefore;

        // The hub acknowledged each event after its commit, so the table must already hold them all.
        long acknowledged = warmUp.Acknowledged + normal.Acknowledged + rush.Acknowledged;
        string name = hubProcess
            ? "hub in its own process (embedded broker, SQLite commit before PUBACK)"
            : "hub (embedded broker, SQLite commit before PUBACK)";
        return new TargetReport(name, normal, rush, acknowledged, hub.CountStoredEvents()) { HubProcessorTime = cpu };
    }

    public static async Task<TargetReport> RunMosquittoAsync(LoadProfile profile, Action<string> progress)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(progress);

        await using MosquittoBaseline mosquitto = await MosquittoBaseline.StartAsync(profile);
        await using GateFleet gates = await GateFleet.ConnectAsync(profile, mosquitto.Port, mosquitto.CredentialsAsync);
        (PhaseResult warmUp, PhaseResult normal, PhaseResult rush) = await RunPhasesAsync("mosquitto", gates, profile, progress);

        long acknowledged = warmUp.Acknowledged + normal.Acknowledged + rush.Acknowledged;
        await WaitForAsync(() => mosquitto.Forwarded >= acknowledged, DrainTimeout);
        if (mosquitto.Forwarded < acknowledged)
        {
            // Show why the broker did not pass messages on, without the routine connection lines
            // of the gates.
            var reasons = mosquitto.BrokerOutput.Split('\n')
                .Where(line => !line.Contains("New client connected", StringComparison.Ordinal)
                    && !line.Contains("New connection from", StringComparison.Ordinal))
                .TakeLast(20);
            progress($"mosquitto: the subscriber received {mosquitto.Forwarded} of {acknowledged} acknowledged messages; "
                + $"subscriber disconnections: {mosquitto.SubscriberDisconnects.Count}\n{string.Join('\n', mosquitto.SubscriberDisconnects)}\n"
                + $"broker output:\n{string.Join('\n', reasons)}");
        }

        return new TargetReport("Mosquitto 2.0 forwarding to one subscriber (anchor)", normal, rush, acknowledged, mosquitto.Forwarded);
    }

    private static async Task<(PhaseResult WarmUp, PhaseResult Normal, PhaseResult Rush)> RunPhasesAsync(
        string target, GateFleet gates, LoadProfile profile, Action<string> progress)
    {
        progress($"{target}: warm-up, {profile.BaseRate}/s for {profile.WarmUp.TotalSeconds} s");
        PhaseResult warmUp = await gates.RunPhaseAsync("warm-up", profile.BaseRate, profile.WarmUp);
        (PhaseResult normal, PhaseResult rush) = await RunMeasuredPhasesAsync(target, gates, profile, progress);
        return (warmUp, normal, rush);
    }

    private static async Task<(PhaseResult Normal, PhaseResult Rush)> RunMeasuredPhasesAsync(
        string target, GateFleet gates, LoadProfile profile, Action<string> progress)
    {
        progress($"{target}: normal, {profile.BaseRate}/s for {profile.PhaseDuration.TotalSeconds} s");
        PhaseResult normal = await gates.RunPhaseAsync("normal", profile.BaseRate, profile.PhaseDuration);
        progress($"{target}: rush, {profile.RushRate}/s for {profile.PhaseDuration.TotalSeconds} s");
        PhaseResult rush = await gates.RunPhaseAsync("rush", profile.RushRate, profile.PhaseDuration);
        return (normal, rush);
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!condition() && !deadline.IsCancellationRequested)
        {
            try
            {
                await poll.WaitForNextTickAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
