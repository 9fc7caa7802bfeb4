using EdgeIoT.Hub.Checks;
using EdgeIoT.Hub.Import;
using EdgeIoT.Hub.Security;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Hub.Api;

/// <summary>
/// Guest import (POST /api/entitlements/import), the entitlement list (GET /api/entitlements)
/// check-in tokens (POST /api/checkin), passes for guest apps (POST /api/passes) and wristband
/// credentials for the encoding station (POST /api/wristbands).
/// </summary>
public static class TicketEndpoints
{
    public static void MapTicketEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/entitlements/import", ImportAsync).Accepts<string>("text/csv").RequireOperator();
        routes.MapGet("/api/entitlements", ListEntitlements).RequireOperator();
        routes.MapPost("/api/checkin", Checkin);
        routes.MapPost("/api/passes", IssuePass);
        routes.MapPost("/api/wristbands", IssueWristband).RequireOperator();
    }

    private static IEnumerable<EntitlementItem> ListEntitlements(EntitlementStore store) =>
        store.ReadAll().Select(entitlement => new EntitlementItem(
            entitlement.Id,
            entitlement.OrderCode,
            EdgeIoT.Firmware.Policy.PolicyCodes.RoleToCode(entitlement.Role),
            entitlement.Tier.ToString().ToLowerInvariant(),
            entitlement.Payment.ToString().ToLowerInvariant(),
            entitlement.SingleEntry,
            entitlement.Cancelled));

    private static async Task<IResult> ImportAsync(HttpRequest request, GuestImporter importer)
    {
        using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8);
        string csv = await reader.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        try
        {
            return Results.Ok(importer.Import(csv));
        }
        catch (FormatException exception)
        {
            return Problems.BadRequest(exception.Message);
        }
        catch (ImportRejectedException exception)
        {
            return Results.Problem(
                exception.Message,
                statusCode: StatusCodes.Status422UnprocessableEntity,
                extensions: new Dictionary<string, object?> { ["rejected"] = exception.Rejected });
        }
    }

    private static IResult IssuePass(PassRequest request, EntitlementStore store, TokenService tokens)
    {
        if (string.IsNullOrWhiteSpace(request.OrderCode))
        {
            return Problems.BadRequest("orderCode is missing.");
        }

        Entitlement? entitlement = store.FindByOrderCode(request.OrderCode.Trim());
        if (entitlement is null)
        {
            return Problems.NotFound($"Order code '{request.OrderCode}' was not found; check the code or import the guest list.");
        }

        if (entitlement.Cancelled)
        {
            return Problems.Conflict($"Order code '{request.OrderCode}' is cancelled; no pass is issued.");
        }

        IssuedPass pass;
        try
        {
            pass = tokens.IssuePass(entitlement);
        }
        catch (InvalidOperationException exception)
        {
            return Problems.Gone(exception.Message);
        }

        return Results.Ok(new PassResponse(
            Convert.ToBase64String(pass.Pass),
            Convert.ToBase64String(pass.Secret),
            EdgeIoT.Firmware.Tokens.RotatingCode.StepSeconds,
            EdgeIoT.Firmware.Tokens.RotatingCode.Digits,
            pass.EntitlementId,
            pass.ExpiresAtMs));
    }

    private static IResult IssueWristband(WristbandRequest request, EntitlementStore store, TokenService tokens)
    {
        if (string.IsNullOrWhiteSpace(request.OrderCode))
        {
            return Problems.BadRequest("orderCode is missing.");
        }

        if (!ChipUids.TryParse(request.Uid, out byte[]? uid, out string? uidError))
        {
            return Problems.BadRequest(uidError);
        }

        Entitlement? entitlement = store.FindByOrderCode(request.OrderCode.Trim());
        if (entitlement is null)
        {
            return Problems.NotFound($"Order code '{request.OrderCode}' was not found; check the code or import the guest list.");
        }

        if (entitlement.Cancelled)
        {
            return Problems.Conflict($"Order code '{request.OrderCode}' is cancelled; no wristband is issued.");
        }

        IssuedWristband wristband;
        try
        {
            wristband = tokens.IssueWristband(entitlement, uid);
        }
        catch (InvalidOperationException exception)
        {
            return Problems.Gone(exception.Message);
        }

        return Results.Ok(new WristbandResponse(
            Convert.ToBase64String(wristband.Credential),
            Convert.ToBase64String(wristband.TagData),
            wristband.EntitlementId,
            wristband.ExpiresAtMs));
    }

    private static IResult Checkin(CheckinRequest request, EntitlementStore store, TokenService tokens)
    {
        if (string.IsNullOrWhiteSpace(request.OrderCode))
        {
            return Problems.BadRequest("orderCode is missing.");
        }

        Entitlement? entitlement = store.FindByOrderCode(request.OrderCode.Trim());
        if (entitlement is null)
        {
            return Problems.NotFound($"Order code '{request.OrderCode}' was not found; check the code or import the guest list.");
        }

        if (entitlement.Cancelled)
        {
            return Problems.Conflict($"Order code '{request.OrderCode}' is cancelled; no token is issued.");
        }

        IssuedToken token = tokens.Issue(entitlement);
        return Results.Ok(new TokenResponse(token.Token, token.EntitlementId, EdgeIoT.Firmware.Policy.PolicyCodes.RoleToCode(token.Role), token.ExpiresAtMs));
    }
}
