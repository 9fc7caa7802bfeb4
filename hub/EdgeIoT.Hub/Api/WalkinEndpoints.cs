using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Hub.Checks;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Hub.Walkins;

namespace EdgeIoT.Hub.Api;

/// <summary>Walk-in guests: a one-time code by SMS, then a walk-in entitlement and token.</summary>
public static class WalkinEndpoints
{
    public static void MapWalkinEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/walkins/otp", RequestCodeAsync);
        routes.MapPost("/api/walkins/verify", Verify);
    }

    private static async Task<IResult> RequestCodeAsync(OtpRequest request, OtpService otp, HttpContext context)
    {
        string? phone = OtpService.NormalizePhone(request.Phone);
        if (phone is null)
        {
            return Problems.BadRequest($"phone '{request.Phone}' is invalid: use 6 to 15 digits with an optional leading '+'.");
        }

        OtpResult result = await otp.RequestCodeAsync(phone, context.RequestAborted).ConfigureAwait(false);
        return result switch
        {
            OtpResult.Sent => Results.Accepted(),
            OtpResult.Locked => Problems.TooManyRequests("This phone is locked out after too many wrong codes; try again in 15 minutes."),
            _ => Problems.TooManyRequests(
                $"A code was sent to this phone less than {OtpService.ResendInterval.TotalSeconds:0} s ago; wait before asking again."),
        };
    }

    private static IResult Verify(
        OtpVerifyRequest request, OtpService otp, EntitlementStore store, SnapshotCache snapshot, TokenService tokens)
    {
        string? phone = OtpService.NormalizePhone(request.Phone);
        if (phone is null)
        {
            return Problems.BadRequest($"phone '{request.Phone}' is invalid: use 6 to 15 digits with an optional leading '+'.");
        }

        if (string.IsNullOrWhiteSpace(request.Code))
        {
            return Problems.BadRequest("code is missing.");
        }

        if (request.SpendLimitMinor is < 0 or > uint.MaxValue)
        {
            return Problems.BadRequest($"spendLimitMinor {request.SpendLimitMinor} is invalid: use 0 to {uint.MaxValue} minor units.");
        }

        if (request.RequestId is { Length: > 64 })
        {
            return Problems.BadRequest($"requestId is {request.RequestId.Length} characters long: use at most 64.");
        }

        string? requestId = string.IsNullOrWhiteSpace(request.RequestId) ? null : request.RequestId;
        if (requestId is not null && otp.FindRedeemed(phone, request.Code, requestId) is { } earlier
            && store.FindById(earlier) is { } retried)
        {
            // The client lost the reply to its first verify: the same walk-in, with a fresh token.
            return TokenResult(tokens.Issue(retried));
        }

        OtpResult result = otp.Verify(phone, request.Code, out long codeExpiresMs);
        if (result != OtpResult.Valid)
        {
            return result switch
            {
                OtpResult.Locked => Problems.TooManyRequests("Too many wrong codes; this phone is locked out for 15 minutes."),
                OtpResult.Expired => Problems.Unauthorized("The code has expired; request a new one."),
                _ => Problems.Unauthorized("The code is wrong or was never requested for this phone."),
            };
        }

        var walkIn = new Entitlement
        {
            TicketType = "Walk-in",
            Tier = MembershipTier.Standard,
            Payment = PaymentStatus.Pending,
            Role = GuestRole.WalkIn,
            SingleEntry = true,
            SpendAllowanceMinor = (uint)request.SpendLimitMinor,
        };
        uint id = store.Add(walkIn);
        if (requestId is not null)
        {
            otp.RecordRedeemed(phone, request.Code, requestId, id, codeExpiresMs);
        }

        snapshot.Rebuild();
        return TokenResult(tokens.Issue(walkIn with { Id = id }));
    }

    private static IResult TokenResult(IssuedToken token) =>
        Results.Ok(new TokenResponse(
            token.Token, token.EntitlementId, EdgeIoT.Firmware.Policy.PolicyCodes.RoleToCode(token.Role), token.ExpiresAtMs));
}
