using System.Globalization;
using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Firmware.Policy;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.EdgeAgent.Purchases;

/// <summary>
/// The agent's <see cref="IPurchaseTerminal"/>. Spend per token is stored in the outbox file in
/// the payment event's transaction, so a restart cannot forget a charge. Purchases run one at
/// a time, so two tills cannot overspend one token together.
/// </summary>
public sealed partial class PurchaseTerminal : IPurchaseTerminal, IDisposable
{
    private readonly PurchaseTerminalSettings _settings;
    private readonly HubState _state;
    private readonly HubClock _clock;
    private readonly IOnlineCheck _hub;
    private readonly EventOutbox _outbox;
    private readonly IReceiptPrinter? _printer;
    private readonly PaymentDeadline _deadline;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private long _offlineSpendMinor;

    /// <param name="printer">Receipt printer of the lane, or null when it has none.</param>
    public PurchaseTerminal(
        PurchaseTerminalSettings settings,
        HubState state,
        HubClock clock,
        IOnlineCheck hub,
        EventOutbox outbox,
        IReceiptPrinter? printer,
        ILogger<PurchaseTerminal>? logger = null,
        PaymentDeadline? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(outbox);

        _settings = settings;
        _state = state;
        _clock = clock;
        _hub = hub;
        _outbox = outbox;
        _printer = printer;
        _deadline = deadline ?? new PaymentDeadline(outbox, state);
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public Task<PurchaseResult> PurchaseAsync(
        string tokenText, long amountMinor, string description, CancellationToken cancellationToken) =>
        SellAsync(tokenText, amountMinor, description, requestId: null, cancellationToken);

    public Task<PurchaseResult> PurchaseAsync(
        string tokenText, long amountMinor, string description, string requestId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        if (requestId.Length > 128)
        {
            throw new ArgumentException($"Request id of {requestId.Length} characters is too long: use 1 to 128.", nameof(requestId));
        }

        return SellAsync(tokenText, amountMinor, description, requestId, cancellationToken);
    }

    private async Task<PurchaseResult> SellAsync(
        string tokenText, long amountMinor, string description, string? requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokenText);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        if (amountMinor is <= 0 or > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                nameof(amountMinor), amountMinor, $"Purchase amount {amountMinor} is invalid: use 1 to {uint.MaxValue} minor units.");
        }

        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            if (requestId is not null && _outbox.FindSale(requestId) is { } earlier)
            {
                LogRepeatedRequest(_logger, requestId, earlier.EventId);
                return new PurchaseResult
                {
                    Accepted = true,
                    Reason = RejectReason.None,
                    Message = $"Request {requestId} was already sold as payment {earlier.EventId} "
                        + $"for {earlier.AmountMinor} minor units; nothing was charged again.",
                    ReceiptId = earlier.EventId,
                };
            }

            PurchaseResult result = Charge(tokenText, amountMinor, description, requestId);
            LogPurchase(_logger, result.Accepted, RejectReasons.ToCode(result.Reason), amountMinor, result.ReceiptId);
            return result.Accepted ? await PrintAsync(result, amountMinor, description, cancellationToken) : result;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();

    private PurchaseResult Charge(string tokenText, long amountMinor, string description, string? requestId)
    {
        RejectReason decodeResult = QrText.TryDecode(tokenText, out byte[]? token);
        if (decodeResult != RejectReason.None)
        {
            return Reject(decodeResult, $"Token text is not a valid token ({RejectReasons.ToCode(decodeResult)}).");
        }

        // NOTE: a till passes no chip UID, so a wristband is rejected here as uid_mismatch. Wristbands
        // are issued by order code, which walk-ins and creator assistants, the roles that buy, lack.
        VerifyResult verified = _state.Verifier.Verify(
            token, _clock.NowUnixSeconds, _clock.IsReliable, _settings.Zone, _state.Snapshot, seen: null);
        if (!verified.IsValid || verified.Claims is not { } claims)
        {
            return Reject(verified.Reason, $"Token was rejected: {RejectReasons.ToCode(verified.Reason)}.");
        }

        if (claims.Role is not (GuestRole.WalkIn or GuestRole.CreatorAssistant))
        {
            return Reject(
                RejectReason.PolicyDenied,
                $"Role {PolicyCodes.RoleToCode(claims.Role)} cannot purchase; only walk_in and creator_assistant tokens can.");
        }

        long usedMinor = _outbox.SpendUsedMinor(claims.TokenId);
        long remainingMinor = claims.SpendAllowanceMinor - usedMinor;
        if (amountMinor > remainingMinor)
        {
            return Reject(
                RejectReason.SpendLimitExceeded,
                $"Amount {amountMinor} exceeds the {Math.Max(remainingMinor, 0)} left of the token's allowance "
                + $"{claims.SpendAllowanceMinor} (minor units).");
        }

        string? policyRule = null;
        if (!_hub.IsConnected)
        {
            if (_deadline.Check() is string safeMode)
            {
                return Reject(RejectReason.PolicyDenied, "Safe mode, " + safeMode + ".", PaymentDeadline.Rule);
            }

            PurchaseResult? offlineReject = CheckOfflinePolicy(claims, usedMinor, amountMinor, out policyRule);
            if (offlineReject is not null)
            {
                return offlineReject;
            }
        }

        EdgeEvent payment = AppendPayment(claims, amountMinor, description, requestId);
        return new PurchaseResult
        {
            Accepted = true,
            Reason = RejectReason.None,
            Message = $"Charged {amountMinor} {_settings.Currency} minor units.",
            ReceiptId = payment.EventId,
            SpendRemainingMinor = remainingMinor - amountMinor,
            PolicyRule = policyRule,
        };
    }

    private PurchaseResult? CheckOfflinePolicy(TokenClaims claims, long usedMinor, long amountMinor, out string? rule)
    {
        rule = DecisionPipeline.NoPolicyRule;
        OfflinePolicy? policy = _state.Policy;
        if (policy is null)
        {
            return Reject(RejectReason.PolicyDenied, "The hub is unreachable and no offline policy is loaded.", rule);
        }

        EntitlementRecord? record = _state.Snapshot?.Find(claims.EntitlementId);
        var input = new PolicyInput
        {
            Role = claims.Role,
            EntitlementKnown = record is not null,
            Tier = record?.Tier ?? default,
            Payment = record?.Payment ?? default,
            OfflineSeconds = (uint)Math.Min(uint.MaxValue, _hub.OfflineFor.TotalSeconds),
            SpendUsedMinor = (uint)Math.Min(uint.MaxValue, usedMinor),
            SpendRequestedMinor = (uint)amountMinor,
            SpendAllowanceMinor = claims.SpendAllowanceMinor,
            DeviceOfflineSpendMinor = (uint)Math.Min(uint.MaxValue, Interlocked.Read(ref _offlineSpendMinor)),
        };

        PolicyDecision decision = policy.Evaluate(input);
        rule = decision.RuleName;
        if (!decision.IsGrant)
        {
            return Reject(
                decision.Reason,
                $"Offline policy {policy.VersionLabel} rule {decision.RuleName} rejected {amountMinor} minor units.",
                rule);
        }

        Interlocked.Add(ref _offlineSpendMinor, amountMinor);
        return null;
    }

    private EdgeEvent AppendPayment(TokenClaims claims, long amountMinor, string description, string? requestId)
    {
        // Payments are never rejected for a full outbox, so Append does not throw OutboxFullException here.
        var details = (claims, amountMinor, currency: _settings.Currency, description, online: _hub.IsConnected);
        return _outbox.Append(
            EventKinds.Payment,
            details,
            static (draft, d) => draft with
            {
                AmountMinor = d.amountMinor,
                Currency = d.currency,
                EntitlementId = d.claims.EntitlementId,
                TokenId = DecisionPipeline.FormatTokenId(d.claims.TokenId),
                Role = PolicyCodes.RoleToCode(d.claims.Role),
                DelegatorId = d.claims.DelegatorId == 0 ? null : d.claims.DelegatorId,
                OfferId = d.claims.OfferId == 0 ? null : d.claims.OfferId,
                Mode = d.online ? DecisionModes.Online : DecisionModes.Offline,
                Detail = d.description,
            },
            new SpendCharge(claims.TokenId, amountMinor, requestId));
    }

    private async Task<PurchaseResult> PrintAsync(
        PurchaseResult sale, long amountMinor, string description, CancellationToken cancellationToken)
    {
        if (_printer is null)
        {
            return sale with { Message = sale.Message + " This lane has no receipt printer." };
        }

        var receipt = new Receipt(
            Header: _settings.ReceiptHeader,
            Lines: [new ReceiptLine(description, amountMinor)],
            TotalMinor: amountMinor,
            Currency: _settings.Currency,
            SpendRemainingMinor: sale.SpendRemainingMinor,
            QrText: sale.ReceiptId ?? string.Empty,
            Footer: string.Create(CultureInfo.InvariantCulture, $"Receipt {sale.ReceiptId}"));
        try
        {
            PrinterStatus status = await _printer.PrintAsync(receipt, cancellationToken);
            if (ReferenceEquals(status, PrinterStatus.Unreachable))
            {
                // The driver got no status at all, so online, paper and cover are unknown rather
                // than false; its own warning gives the cause.
                LogPrinterNotResponding(_logger, sale.ReceiptId);
                return sale with
                {
                    Printer = status,
                    Message = sale.Message + " Receipt not printed: the printer did not respond.",
                };
            }

            if (!status.CanPrint)
            {
                LogPrinterProblem(_logger, sale.ReceiptId, status.Online, status.PaperOut, status.CoverOpen);
                return sale with
                {
                    Printer = status,
                    Message = sale.Message + $" Receipt not printed: printer online {status.Online}, "
                        + $"paper out {status.PaperOut}, cover open {status.CoverOpen}.",
                };
            }

            return sale with { Printer = status, ReceiptPrinted = true };
        }
        catch (Exception exception) when (exception is IOException or TimeoutException
            or System.Net.Sockets.SocketException or InvalidOperationException or EscPosProtocolException)
        {
            _logger.LogError(exception, "Printing receipt {ReceiptId} failed, and the sale is kept", sale.ReceiptId);
            return sale with { Message = sale.Message + $" Receipt not printed: {exception.Message}" };
        }
    }

    private static PurchaseResult Reject(RejectReason reason, string message, string? rule = null) => new()
    {
        Accepted = false,
        Reason = reason,
        Message = message,
        PolicyRule = rule,
    };

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Purchase accepted {Accepted} ({Reason}) for {AmountMinor} minor units, receipt {ReceiptId}")]
    private static partial void LogPurchase(
        ILogger logger, bool accepted, string reason, long amountMinor, string? receiptId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Receipt {ReceiptId} not printed: online {Online}, paper out {PaperOut}, cover open {CoverOpen}")]
    private static partial void LogPrinterProblem(
        ILogger logger, string? receiptId, bool online, bool paperOut, bool coverOpen);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Receipt {ReceiptId} not printed: the printer did not respond to its status request or connection")]
    private static partial void LogPrinterNotResponding(ILogger logger, string? receiptId);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Sale request {RequestId} was already sold as payment {EventId}; returning that sale")]
    private static partial void LogRepeatedRequest(ILogger logger, string requestId, string eventId);
}
