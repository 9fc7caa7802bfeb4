using EdgeIoT.EdgeAgent.Configuration;
using EdgeIoT.EdgeAgent.Devices;
using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Hardware;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeIoT.EdgeAgent.Hosting;

/// <summary>
/// Turns gate alarms and printer faults into <c>status</c> events in the outbox, so they reach
/// the hub's dashboard even after a network outage. Gate alarms come from
/// <see cref="GpioGate"/> events. The printer is asked with DLE EOT every
/// Agent:Hardware:PrinterStatusInterval, and only changes are stored.
/// </summary>
public sealed partial class LaneAlarmService : BackgroundService
{
    private readonly IGate _gate;
    private readonly IReceiptPrinter _printer;
    private readonly EventOutbox _outbox;
    private readonly TimeProvider _timeProvider;
    private readonly HardwareOptions _options;
    private readonly ILogger _logger;
    private PrinterStatus? _lastPrinter;

    public LaneAlarmService(
        IGate gate,
        IReceiptPrinter printer,
        EventOutbox outbox,
        TimeProvider timeProvider,
        IOptions<AgentOptions> options,
        ILogger<LaneAlarmService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);

        _gate = gate;
        _printer = printer;
        _outbox = outbox;
        _timeProvider = timeProvider;
        _options = options.Value.Hardware;
        _logger = logger;
    }

    /// <summary>Returns the status detail for a gate alarm, or null for alarms the hub does not show.</summary>
    public static string? DetailOf(GateAlarm alarm, int pin, bool cleared) => (alarm, cleared) switch
    {
        (GateAlarm.DoorForced, false) => $"{StatusDetails.DoorForced} on pin {pin}",
        (GateAlarm.DoorHeld, false) => $"{StatusDetails.DoorHeld} on pin {pin}",
        (GateAlarm.DoorForced or GateAlarm.DoorHeld, true) => $"{StatusDetails.DoorClosed} on pin {pin}",
        (GateAlarm.FireAlarm, false) => $"{StatusDetails.FireRelease} on pin {pin}: lane held open",
        (GateAlarm.FireAlarm, true) => $"{StatusDetails.FireCleared} on pin {pin}: lane back in service",
        (GateAlarm.UnexpectedPassage, false) => $"unexpected passage on pin {pin}",
        (GateAlarm.RelayFault, false) => $"relay fault on pin {pin}",
        _ => null,
    };

    /// <summary>
    /// Returns the status details for the change from <paramref name="previous"/> to
    /// <paramref name="current"/>: faults that began and faults that ended. A first reading
    /// reports only faults.
    /// </summary>
    public static IReadOnlyList<string> DetailsOf(PrinterStatus? previous, PrinterStatus current)
    {
        ArgumentNullException.ThrowIfNull(current);

        var details = new List<string>();
        bool wasPaperOut = previous?.PaperOut ?? false;
        bool wasCoverOpen = previous?.CoverOpen ?? false;
        if (current.PaperOut != wasPaperOut)
        {
            details.Add(current.PaperOut ? StatusDetails.PaperOut : StatusDetails.PaperLoaded);
        }

        if (current.CoverOpen != wasCoverOpen)
        {
            details.Add(current.CoverOpen ? StatusDetails.CoverOpen : StatusDetails.CoverClosed);
        }

        return details;
    }

    /// <summary>Subscribes to the gate's alarms before any hosted service runs, so none is missed.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (_gate is GpioGate gpioGate)
        {
            gpioGate.AlarmRaised += OnAlarmRaised;
            gpioGate.AlarmCleared += OnAlarmCleared;
        }

        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_gate is GpioGate gpioGate)
        {
            gpioGate.AlarmRaised -= OnAlarmRaised;
            gpioGate.AlarmCleared -= OnAlarmCleared;
        }

        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_printer is NoReceiptPrinter)
        {
            return;
        }

        try
        {
            await WatchPrinterAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
    }

    private async Task WatchPrinterAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.PrinterStatusInterval, _timeProvider);
        do
        {
            PrinterStatus status = await _printer.GetStatusAsync(stoppingToken);

            // An unreachable printer reports nothing about its paper or cover, so the last known
            // state is kept. The printer driver logs the connection failure itself.
            if (ReferenceEquals(status, PrinterStatus.Unreachable))
            {
                continue;
            }

            foreach (string detail in DetailsOf(_lastPrinter, status))
            {
                Store(detail);
            }

            _lastPrinter = status;
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private void OnAlarmRaised(object? sender, GateAlarmEventArgs args) => Store(DetailOf(args.Alarm, args.Pin, cleared: false));

    private void OnAlarmCleared(object? sender, GateAlarmEventArgs args) => Store(DetailOf(args.Alarm, args.Pin, cleared: true));

    private void Store(string? detail)
    {
        if (detail is null)
        {
            return;
        }

        try
        {
            EdgeEvent stored = _outbox.Append(EventKinds.Status, detail, static (draft, text) => draft with { Detail = text });
            LogStored(_logger, detail, stored.EventId);
        }
        catch (OutboxFullException exception)
        {
            // The outbox raised its own alarm, and this one is lost with the reason logged.
            LogNotStored(_logger, exception, detail);
        }
    }

    [LoggerMessage(EventId = 2601, Level = LogLevel.Information, Message = "Lane status {Detail} stored as {EventId}")]
    private static partial void LogStored(ILogger logger, string detail, string? eventId);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Error, Message = "Lane status {Detail} not stored: the outbox is full")]
    private static partial void LogNotStored(ILogger logger, Exception exception, string detail);
}
