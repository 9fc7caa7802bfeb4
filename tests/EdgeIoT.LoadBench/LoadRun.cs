namespace EdgeIoT.LoadBench;

/// <summary>Runs the warm-up, normal and rush phases against the hub and against the Mosquitto baseline.</summary>
public static class LoadRun
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    public static async Task<TargetReport> RunHubAsync(LoadProfile profile, Action<string> progress)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(progress);

        await using HubTarget hub = await HubTarget.StartAsync(profile.Venue);
        await using GateFleet gates = await GateFleet.ConnectAsync(profile, hub.Endpoints.MqttPort, hub.EnrollAsync);
        (PhaseResult warmUp, PhaseResult normal, PhaseResult rush) = await RunPhasesAsync("hub", gates, profile, progress);

        // The hub acknowledged each event after its commit, so the table must already hold them all.
        long acknowledged = warmUp.Acknowledged + normal.Acknowledged + rush.Acknowledged;
        return new TargetReport("hub (embedded broker, SQLite commit before PUBACK)", normal, rush, acknowledged, hub.CountStoredEvents());
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
            progress($"mosquitto: the subscriber received {mosquitto.Forwarded} of {acknowledged} acknowledged messages; broker output:\n"
                + string.Join('\n', reasons));
        }

        return new TargetReport("Mosquitto 2.0 forwarding to one subscriber (anchor)", normal, rush, acknowledged, mosquitto.Forwarded);
    }

    private static async Task<(PhaseResult WarmUp, PhaseResult Normal, PhaseResult Rush)> RunPhasesAsync(
        string target, GateFleet gates, LoadProfile profile, Action<string> progress)
    {
        progress($"{target}: warm-up, {profile.BaseRate}/s for {profile.WarmUp.TotalSeconds} s");
        PhaseResult warmUp = await gates.RunPhaseAsync("warm-up", profile.BaseRate, profile.WarmUp);
        progress($"{target}: normal, {profile.BaseRate}/s for {profile.PhaseDuration.TotalSeconds} s");
        PhaseResult normal = await gates.RunPhaseAsync("normal", profile.BaseRate, profile.PhaseDuration);
        progress($"{target}: rush, {profile.RushRate}/s for {profile.PhaseDuration.TotalSeconds} s");
        PhaseResult rush = await gates.RunPhaseAsync("rush", profile.RushRate, profile.PhaseDuration);
        return (warmUp, normal, rush);
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
