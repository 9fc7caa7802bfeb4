using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using EdgeIoT.Firmware.Policy;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware.Simulated;
using EdgeIoT.Simulator.Orchestration;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Crowd;

/// <summary>
/// Plays the crowd: every visit starts at its arrival time, fetches its credential like a
/// guest's phone would, shows the QR image at its lane, and, for walk-ins and assistants,
/// buys or sells at a lane with a till.
/// </summary>
public sealed class CrowdRunner(
    HubClient hub,
    IReadOnlyList<IGateLane> lanes,
    string smsOutboxFile,
    ILogger logger) : IDisposable
{
    private const int MaxFrames = 4;
    private const long WalkInSpendLimitMinor = 5_000;
    private const long AssistantSalesLimitMinor = 50_000;

    private readonly ConcurrentQueue<(string Code, IGateLane Lane)> _admittedCodes = new();
    private readonly SemaphoreSlim _otpFile = new(1, 1);

    public void Dispose() => _otpFile.Dispose();

    /// <summary>Runs every visit and returns the results in visit order.</summary>
    public async Task<IReadOnlyList<VisitResult>> RunAsync(
        IReadOnlyList<Visit> visits, Stopwatch clock, Action<VisitResult> onVisited, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(visits);
        ArgumentNullException.ThrowIfNull(clock);

        var tasks = visits.Select(async visit =>
        {
            TimeSpan wait = visit.ArrivesAt - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            VisitResult result = await VisitAsync(visit, clock, cancellationToken);
            onVisited(result);
            return result;
        });
        return await Task.WhenAll(tasks);
    }

    private async Task<VisitResult> VisitAsync(Visit visit, Stopwatch clock, CancellationToken cancellationToken)
    {
        IGateLane lane = LaneFor(visit);
        try
        {
            string? code;
            if (visit.Kind == VisitKind.Replay)
            {
                (code, lane) = await ReplayAsync(cancellationToken);
            }
            else
            {
                code = await CredentialAsync(visit, cancellationToken);
            }

            if (code is null)
            {
                return new VisitResult(visit, lane.DeviceClass, null, null, clock.Elapsed, 0, null, 0, "no credential");
            }

            (LaneDecision? decision, int unreadable) = await PresentAsync(lane, code, cancellationToken);
            if (decision is null)
            {
                logger.LogWarning(
                    "Visit {Visit} ({Kind}) at {Lane} got no decision after {Frames} frames",
                    visit.Index, visit.Kind, lane.DeviceId, unreadable);
            }

            if (decision?.Admitted == true && visit.Kind is VisitKind.PreRegistered)
            {
                _admittedCodes.Enqueue((code, lane));
            }

            (LaneSale? sale, long amount) = decision?.Admitted == true
                ? await SellIfShoppingAsync(visit, code, cancellationToken)
                : (null, 0);
            return new VisitResult(
                visit, lane.DeviceClass, RoleOf(code), decision, clock.Elapsed, unreadable, sale, amount, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // One failed visit must not end the event; the report counts it as undecided.
            logger.LogWarning(ex, "Visit {Visit} ({Kind}) at {Lane} failed: {Error}", visit.Index, visit.Kind, lane.DeviceId, ex.Message);
            return new VisitResult(visit, lane.DeviceClass, null, null, clock.Elapsed, 0, null, 0, ex.Message);
        }
    }

    /// <summary>Role claim of a code as the report names it, or null for text that is no token.</summary>
    private static string? RoleOf(string code)
    {
        if (QrText.TryDecode(code, out byte[] token) != RejectReason.None
            || TokenCodec.TryDecode(token, out TokenClaims claims) != RejectReason.None)
        {
            return null;
        }

        return PolicyCodes.RoleToCode(claims.Role);
    }

    private IGateLane LaneFor(Visit visit)
    {
        // Walk-ins and assistants queue at lanes with a till; everyone else at the planned lane.
        if (visit.Kind is VisitKind.WalkIn or VisitKind.CreatorAssistant)
        {
            IGateLane[] tills = lanes.Where(l => l.HasTill).ToArray();
            if (tills.Length > 0)
            {
                return tills[visit.Lane % tills.Length];
            }
        }

        return lanes[visit.Lane % lanes.Count];
    }

    private async Task<string?> CredentialAsync(Visit visit, CancellationToken cancellationToken)
    {
        switch (visit.Kind)
        {
            case VisitKind.PreRegistered:
                return (await hub.CheckInAsync(visit.OrderCode!, cancellationToken)).Token;
            case VisitKind.WalkIn:
                return await WalkInTokenAsync(visit, cancellationToken);
            case VisitKind.CreatorAssistant:
                AssistantGrant grant = await hub.AddAssistantAsync(
                    visit.OrderCode!, $"Assistant {visit.Index}", AssistantSalesLimitMinor, cancellationToken);
                return (await hub.AssistantTokenAsync(grant.AssistantEntitlementId, cancellationToken)).Token;
            case VisitKind.Forged:
                return await ForgeAsync(visit, cancellationToken);
            default:
                return visit.Index % 2 == 0 ? "HTTPS://EXAMPLE.TEST/TICKET" : "EI1:" + new string('A', 40);
        }
    }

    private async Task<string> WalkInTokenAsync(Visit visit, CancellationToken cancellationToken)
    {
        // Fictional numbers from the UK range reserved for drama (07700 900000 to 900999),
        // in the E.164 form the hub stores.
        string phone = $"+447700900{visit.Index % 1000:D3}";
        await hub.RequestOneTimeCodeAsync(phone, cancellationToken);
        string code = await ReadOneTimeCodeAsync(phone, cancellationToken);
        return (await hub.VerifyWalkInAsync(phone, code, WalkInSpendLimitMinor, cancellationToken)).Token;
    }

    /// <summary>Reads the code the hub "texted" to the phone, from the hub's SMS outbox file.</summary>
    private async Task<string> ReadOneTimeCodeAsync(string phone, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (true)
        {
            await _otpFile.WaitAsync(timeout.Token);
            try
            {
                if (File.Exists(smsOutboxFile))
                {
                    string[] lines = await File.ReadAllLinesAsync(smsOutboxFile, timeout.Token);
                    for (int i = lines.Length - 1; i >= 0; i--)
                    {
                        using JsonDocument message = JsonDocument.Parse(lines[i]);
                        if (message.RootElement.GetProperty("phone").GetString() == phone)
                        {
                            return message.RootElement.GetProperty("code").GetString()!;
                        }
                    }
                }
            }
            finally
            {
                _otpFile.Release();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }

    private async Task<string> ForgeAsync(Visit visit, CancellationToken cancellationToken)
    {
        // The forger has one genuine ticket of their own and tries to upgrade it to staff.
        string genuine = (await hub.CheckInAsync(visit.OrderCode!, cancellationToken)).Token;
        return Forgery.UpgradeToStaff(genuine);
    }

    /// <summary>
    /// Picks a code that a guest already used and the lane next to the one that admitted it,
    /// as a screenshot passed back over the fence would arrive.
    /// </summary>
    private async Task<(string? Code, IGateLane Lane)> ReplayAsync(CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            if (_admittedCodes.TryPeek(out (string Code, IGateLane Lane) used))
            {
                int next = (lanes.ToList().IndexOf(used.Lane) + 1) % lanes.Count;
                return (used.Code, lanes[next]);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }

        return (null, lanes[0]);
    }

    private async Task<(LaneDecision? Decision, int Unreadable)> PresentAsync(
        IGateLane lane, string code, CancellationToken cancellationToken)
    {
        int unreadable = 0;
        for (int frame = 0; frame < MaxFrames; frame++)
        {
            byte[] png = QrImages.RenderPng(code);
            LaneDecision? decision = await lane.PresentAsync(png, cancellationToken);
            if (decision != null)
            {
                return (decision, unreadable);
            }

            unreadable++;
        }

        return (null, unreadable);
    }

    private async Task<(LaneSale? Sale, long Amount)> SellIfShoppingAsync(
        Visit visit, string code, CancellationToken cancellationToken)
    {
        if (visit.Kind is not (VisitKind.WalkIn or VisitKind.CreatorAssistant))
        {
            return (null, 0);
        }

        IGateLane lane = LaneFor(visit);
        if (!lane.HasTill)
        {
            return (null, 0);
        }

        long amount = 500 + (visit.Index * 137 % 40) * 100;
        string item = visit.Kind == VisitKind.WalkIn ? "Market tote bag" : "Signed print";
        LaneSale sale = await lane.SellAsync(code, amount, item, cancellationToken);
        return (sale, amount);
    }
}
