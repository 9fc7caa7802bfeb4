using System.CommandLine;
using EdgeIoT.Hub.Api;
using EdgeIoT.Hub.Ledger;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Hub.Cli.Commands;

/// <summary>
/// push: forces a push of the reconciliation queue to the ledger and waits, with progress, until
/// no unsent event is left. On a stopped hub it runs the hub on loopback ports chosen by the OS
/// for the duration of the push, so the same sync code delivers the queue.
/// </summary>
public static class PushCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static Command Create(CommonOptions common)
    {
        ArgumentNullException.ThrowIfNull(common);

        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "How long to wait for an empty queue, such as 00:10:00; exit code 1 when events are left.",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(10),
        };
        var push = common.AddTo(new Command("push",
            "Push every queued event to the central ledger now and wait until the queue is empty.") { timeout });
        CliRunner.SetAction(push, async (parseResult, cancellationToken) =>
        {
            TimeSpan limit = parseResult.GetValue(timeout);
            if (limit <= TimeSpan.Zero)
            {
                throw new CliException($"--timeout {limit} is invalid: use a positive time such as 00:10:00.");
            }

            using HubTarget target = await HubTarget.ResolveAsync(parseResult, common, cancellationToken);
            if (target.Api is HubApiClient api)
            {
                await api.PostAsync("/api/ledger/push", cancellationToken);
                return await WaitAsync(() => api.GetAsync<StatusResponse>("/api/status", cancellationToken), limit, cancellationToken);
            }

            await using WebApplication hub = HubApp.Build(
                ["--Logging:LogLevel:Default=Warning"],
                options =>
                {
                    options.DataDirectory = target.DataDirectory;
                    options.Mqtt.Port = 0;
                    options.Http.Urls = "http://127.0.0.1:0";
                });
            Console.WriteLine($"The hub is stopped; starting it on loopback to push {target.DataDirectory}.");
            await hub.StartAsync(cancellationToken);
            try
            {
                hub.Services.GetRequiredService<LedgerSyncService>().RequestPush();
                return await WaitAsync(() => Task.FromResult(ReadStatus(hub.Services)), limit, cancellationToken);
            }
            finally
            {
                await hub.StopAsync(CancellationToken.None);
            }
        });
        return push;
    }

    private static StatusResponse ReadStatus(IServiceProvider services)
    {
        ReconciliationStore queue = services.GetRequiredService<ReconciliationStore>();
        IReadOnlyDictionary<Lane, long> unsent = queue.UnsentCounts();
        LedgerSyncSnapshot sync = services.GetRequiredService<LedgerSyncStatus>().Read();
        return new StatusResponse(
            string.Empty, 0, 0, 0, [],
            new LaneCounts(unsent[Lane.Payments], unsent[Lane.Entitlements], unsent[Lane.CheckIns], unsent[Lane.Telemetry],
                queue.DeadLetterCount()),
            new LedgerStatusItem(sync.Reachable, sync.LastSuccessMs ?? 0, sync.Sent, sync.LastError));
    }

    private static async Task<int> WaitAsync(
        Func<Task<StatusResponse>> readStatus, TimeSpan limit, CancellationToken cancellationToken)
    {
        var progress = new ConsoleProgress(TimeProvider.System);
        DateTimeOffset deadline = DateTimeOffset.UtcNow + limit;
        long? first = null;
        while (true)
        {
            StatusResponse status = await readStatus();
            LaneCounts lanes = status.Lanes;
            long left = lanes.Payments + lanes.Entitlements + lanes.CheckIns + lanes.Telemetry;
            first ??= left;
            if (left == 0)
            {
                progress.Complete($"Pushed: the queue is empty ({CliOutput.Number(first.Value)} events were waiting); dead letters {lanes.DeadLetters}.");
                return 0;
            }

            string error = status.Ledger.LastError is null ? string.Empty : $"; ledger: {status.Ledger.LastError}";
            string line = $"Pushing: {CliOutput.Number(left)} of {CliOutput.Number(first.Value)} events left "
                + $"(payments {lanes.Payments}, entitlements {lanes.Entitlements}, check-ins {lanes.CheckIns}, telemetry {lanes.Telemetry}){error}";
            if (DateTimeOffset.UtcNow >= deadline)
            {
                progress.Complete(line);
                throw new CliException(
                    $"{CliOutput.Number(left)} events are still queued after {limit}. Check that the ledger at the hub's Ledger:BaseUrl is reachable, then run push again.",
                    exitCode: 1);
            }

            progress.Report(line);
            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
