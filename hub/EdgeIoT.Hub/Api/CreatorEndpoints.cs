using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Hub.Checks;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;

namespace EdgeIoT.Hub.Api;

/// <summary>Creator assistants: delegated credentials that a creator hands out until the event ends.</summary>
public static class CreatorEndpoints
{
    /// <summary>Largest sales allowance one assistant may get, 10,000.00 in the venue currency.</summary>
    public const long MaxAssistantSpendMinor = 1_000_000;

    public static void MapCreatorEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/creators/{orderCode}/assistants", AddAssistant);
        routes.MapPost("/api/assistants/{id}/token", IssueAssistantToken);
    }

    private static IResult AddAssistant(
        string orderCode, AssistantRequest request, EntitlementStore store, SnapshotCache snapshot,
        HubOptions options, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return Problems.BadRequest("name is missing.");
        }

        long spendLimit = request.SpendLimitMinor ?? 0;
        if (spendLimit is < 0 or > MaxAssistantSpendMinor)
        {
            return Problems.BadRequest(
                $"spendLimitMinor {spendLimit} is invalid: use 0 to {MaxAssistantSpendMinor} minor units.");
        }

        Entitlement? creator = store.FindByOrderCode(orderCode);
        if (creator is null || creator.Role != GuestRole.Creator)
        {
            return Problems.NotFound($"Order code '{orderCode}' is not a creator ticket.");
        }

        if (creator.Cancelled)
        {
            return Problems.Conflict($"Creator ticket '{orderCode}' is cancelled.");
        }

        DateTimeOffset eventEnd = options.EventEnd!.Value;
        if (time.GetUtcNow() >= eventEnd)
        {
            return Problems.Gone($"The event ended at {eventEnd:O}; no assistants can be added.");
        }

        var assistant = new Entitlement
        {
            AttendeeName = request.Name.Trim(),
            TicketType = "Creator Assistant",
            Tier = MembershipTier.Standard,
            Payment = PaymentStatus.Complimentary,
            Zone = creator.Zone,
            Role = GuestRole.CreatorAssistant,
            SingleEntry = false,
            SpendAllowanceMinor = (uint)spendLimit,
        };
        uint id = store.Add(assistant, delegatedBy: creator.Id, delegationExpiresMs: eventEnd.ToUnixTimeMilliseconds());
        snapshot.Rebuild();
        return Results.Ok(new AssistantResponse(id, eventEnd.ToUnixTimeMilliseconds()));
    }

    /// <summary>
    /// Issues an assistant token. <paramref name="form"/> is <c>certificate</c> (the default: the
    /// certificate is embedded) or <c>reference</c> (a 4-byte reference to the published delegation list).
    /// </summary>
    private static IResult IssueAssistantToken(
        uint id, string? form, EntitlementStore store, TokenService tokens, TimeProvider time)
    {
        CertificateForm certificateForm;
        switch (form)
        {
            case null or "certificate":
                certificateForm = CertificateForm.Embedded;
                break;
            case "reference":
                certificateForm = CertificateForm.Reference;
                break;
            default:
                return Problems.BadRequest($"form '{form}' is invalid: use 'certificate' or 'reference'.");
        }

        (uint CreatorId, long ExpiresMs)? delegation = store.FindDelegation(id);
        Entitlement? assistant = delegation is null ? null : store.FindById(id);
        if (delegation is null || assistant is null)
        {
            return Problems.NotFound($"Entitlement {id} is not a creator assistant.");
        }

        if (time.GetUtcNow().ToUnixTimeMilliseconds() > delegation.Value.ExpiresMs)
        {
            return Problems.Gone($"The delegation of assistant {id} ended with the event; no token is issued.");
        }

        if (assistant.Cancelled)
        {
            return Problems.Conflict($"Assistant entitlement {id} is cancelled.");
        }

        IssuedToken token = tokens.IssueDelegated(
            assistant, delegation.Value.CreatorId, DateTimeOffset.FromUnixTimeMilliseconds(delegation.Value.ExpiresMs),
            certificateForm);
        return Results.Ok(new TokenResponse(token.Token, token.EntitlementId, EdgeIoT.Firmware.Policy.PolicyCodes.RoleToCode(token.Role), token.ExpiresAtMs));
    }
}
