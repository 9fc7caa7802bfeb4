using System.Text.RegularExpressions;
using EdgeIoT.Hub.Audit;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Mqtt;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Security;
using EdgeIoT.Hub.Storage;

namespace EdgeIoT.Hub.Api;

/// <summary>POST /api/devices enrolls a device and issues its MQTT credentials; GET /api/devices lists them.</summary>
public static partial class DeviceEndpoints
{
    private static readonly string[] DeviceClasses = ["agent", "firmware"];

    public static void MapDeviceEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/devices", EnrollAsync).RequireOperator();
        routes.MapGet("/api/devices", (DeviceStore devices) => devices.ReadDetails()).RequireOperator();
    }

    /// <summary>Returns what is wrong with an enrollment request, or null when it is valid.</summary>
    public static string? Validate(EnrollDeviceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        if (string.IsNullOrEmpty(request.DeviceId) || !DeviceIdPattern().IsMatch(request.DeviceId))
        {
            return $"deviceId '{request.DeviceId}' is invalid: use 1 to 64 letters, digits, '-', '_' or '.'.";
        }

        if (request.DeviceId == SessionIdentity.OperatorUserName)
        {
            return $"deviceId '{request.DeviceId}' is reserved for the operator account.";
        }

        if (request.DeviceClass is null || !DeviceClasses.Contains(request.DeviceClass))
        {
            return $"deviceClass '{request.DeviceClass}' is invalid: use 'agent' or 'firmware'.";
        }

        return request.Zone is < 0 or > 255 ? $"zone {request.Zone} is invalid: use 0 (every zone) to 255." : null;
    }

    private static async Task<IResult> EnrollAsync(
        EnrollDeviceRequest request, DeviceStore devices, KeyRing keys, HubBroker broker, HubOptions options, AuditLog audit)
    {
        if (Validate(request) is string problem)
        {
            return Problems.BadRequest(problem);
        }

        string password = devices.Enroll(request.DeviceId!, request.DeviceClass!, (byte)request.Zone);
        await audit.AppendAsync(AuditKinds.Enrollment, AuditActors.Operator, new
        {
            deviceId = request.DeviceId,
            deviceClass = request.DeviceClass,
            zone = request.Zone,
        }).ConfigureAwait(false);
        return Results.Ok(new EnrollDeviceResponse(
            request.DeviceId!,
            request.DeviceId!,
            password,
            options.Venue,
            options.EventId,
            Convert.ToBase64String(keys.RootPublicKey),
            broker.Port,
            Convert.ToBase64String(keys.RotatingCodeKey)));
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex DeviceIdPattern();
}
