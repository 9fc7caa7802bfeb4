using System.Globalization;
using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Firmware.Policy;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.EdgeAgent.Purchases;

/// <summary>
/// Enforces the offline policy's forwardPaymentsWithinSeconds on this lane. While a payment the
/// hub has not acknowledged is older than the deadline, the lane is in safe mode: it raises a
/// "payments overdue" status alarm once and rejects new offline payments. Once the payment is
/// forwarded, a "payments forwarded" status clears the alarm.
/// </summary>
public sealed partial class PaymentDeadline
{
    /// <summary>Rule name reported for a purchase rejected in safe mode, in the guardrail naming of the policy.</summary>
    public const string Rule = "guardrail:forwardPaymentsWithinSeconds";

    private readonly EventOutbox _outbox;
    private readonly HubState _state;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private bool _alarmRaised;

    public PaymentDeadline(EventOutbox outbox, HubState state, TimeProvider? time = null, ILogger<PaymentDeadline>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(state);

        _outbox = outbox;
        _state = state;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>
    /// Checks the oldest unforwarded payment against the deadline and raises or clears the
    /// alarm. Returns a message naming the overdue payment in safe mode, or null otherwise.
    /// </summary>
    public string? Check()
    {
        OfflinePolicy? policy = _state.Policy;
        (string EventId, long DeviceTimeMs)? oldest = _outbox.OldestUnforwardedPayment();
        long ageSeconds = oldest is null ? 0 : (_time.GetUtcNow().ToUnixTimeMilliseconds() - oldest.Value.DeviceTimeMs) / 1000;
        bool overdue = policy is not null && oldest is not null && ageSeconds > policy.Guardrails.ForwardPaymentsWithinSeconds;
        string? message = overdue
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"{StatusDetails.PaymentsOverdue}: payment {oldest!.Value.EventId} is {ageSeconds} s old, past forwardPaymentsWithinSeconds {policy!.Guardrails.ForwardPaymentsWithinSeconds}; new offline payments are rejected until it reaches the hub")
            : null;

        lock (_gate)
        {
            if (overdue == _alarmRaised)
            {
                return message;
            }

            _alarmRaised = overdue;
        }

        if (overdue)
        {
            LogOverdue(_logger, oldest!.Value.EventId, ageSeconds, policy!.Guardrails.ForwardPaymentsWithinSeconds);
        }
        else
        {
            LogForwarded(_logger);
        }

        StoreStatus(message ?? StatusDetails.PaymentsForwarded + ": no payment is past forwardPaymentsWithinSeconds");
        return message;
    }

    private void StoreStatus(string detail)
    {
        try
        {
            _outbox.Append(EventKinds.Status, detail, static (draft, d) => draft with { Detail = d });
        }
        catch (Exception exception) when (exception is OutboxFullException or SqliteException)
        {
            _logger.LogError(exception, "Could not store the status event {Detail}", detail);
        }
    }

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Safe mode: payment {EventId} is {AgeSeconds} s old and not forwarded, past forwardPaymentsWithinSeconds {DeadlineSeconds}; new offline payments are rejected")]
    private static partial void LogOverdue(ILogger logger, string eventId, long ageSeconds, uint deadlineSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Safe mode ended: every payment past the deadline reached the hub")]
    private static partial void LogForwarded(ILogger logger);
}
