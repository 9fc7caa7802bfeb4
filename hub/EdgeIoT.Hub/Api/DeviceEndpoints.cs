using System.Text.RegularExpressions;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Mqtt;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;

namespace EdgeIoT.Hub.Api;

/// <summary>POST /api/devices: enrolls a device and issues its MQTT credentials.</summary>
public static partial class DeviceEndpoints
{
    private static readonly string[] DeviceClasses = ["agent", "firmware"];

    public static void MapDeviceEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/devices", Enroll);
    }

    private static IResult Enroll(
        EnrollDeviceRequest request, DeviceStore devices, KeyRing keys, HubBroker broker, HubOptions options)
    {
        if (string.IsNullOrEmpty(request.DeviceId) || !DeviceIdPattern().IsMatch(request.DeviceId))
        {
            return Problems.BadRequest(
                $"deviceId '{request.DeviceId}' is invalid: use 1 to 64 letters, digits, '-', '_' or '.'.");
        }

        if (request.DeviceId == SessionIdentity.OperatorUserName)
        {
            return Problems.BadRequest($"deviceId '{request.DeviceId}' is reserved for the operator account.");
        }

        if (request.DeviceClass is null || !DeviceClasses.Contains(request.DeviceClass))
        {
            return Problems.BadRequest($"deviceClass '{request.DeviceClass}' is invalid: use 'agent' or 'firmware'.");
        }

        if (request.Zone is < 0 or > 255)
        {
            return Problems.BadRequest($"zone {request.Zone} is invalid: use 0 (every zone) to 255.");
        }

        string password = devices.Enroll(request.DeviceId, request.DeviceClass, (byte)request.Zone);
        return Results.Ok(new EnrollDeviceResponse(
            request.DeviceId,
            request.DeviceId,
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
