using System.CommandLine;
using System.Net.Http.Json;
using EdgeIoT.Hub.Api;
using EdgeIoT.Hub.Audit;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Storage;

namespace EdgeIoT.Hub.Cli.Commands;

/// <summary>devices enroll|list|check: device credentials and what devices last reported.</summary>
public static class DevicesCommand
{
    public static Command Create(CommonOptions common)
    {
        ArgumentNullException.ThrowIfNull(common);

        return new Command("devices", "Enrolled gate devices: enroll, list, check reachability.")
        {
            CreateEnroll(common),
            CreateList(common),
            DeviceCheckCommand.Create(common),
        };
    }

    /// <summary>Reads every device with its reports, from the running hub or the files.</summary>
    public static async Task<IReadOnlyList<DeviceDetails>> ReadAsync(HubTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);

        if (target.Api is HubApiClient api)
        {
            return await api.GetAsync<List<DeviceDetails>>("/api/devices", cancellationToken);
        }

        await using OfflineHub hub = OfflineHub.Open(target.DataDirectory, create: false);
        return hub.Get<DeviceStore>().ReadDetails();
    }

    private static Command CreateEnroll(CommonOptions common)
    {
        var deviceId = new Argument<string>("device-id") { Description = "1 to 64 of A-Z a-z 0-9 - _ ." };
        var deviceClass = new Option<string>("--class")
        {
            Description = "Device class: agent (Raspberry Pi lane) or firmware (ESP32 turnstile).",
            DefaultValueFactory = _ => "agent",
        };
        deviceClass.AcceptOnlyFromAmong("agent", "firmware");
        var zone = new Option<int>("--zone") { Description = "Zone of the gate, 0 (every zone) to 255." };
        var enroll = common.AddTo(new Command("enroll",
            "Enroll a device and print its MQTT credentials; enrolling again replaces the password.")
        {
            deviceId, deviceClass, zone,
        });
        CliRunner.SetAction(enroll, async (parseResult, cancellationToken) =>
        {
            var request = new EnrollDeviceRequest(
                parseResult.GetRequiredValue(deviceId), parseResult.GetValue(deviceClass), parseResult.GetValue(zone));

            // Checked here as well as by the hub, so an invalid value exits with 2 whether or not the hub runs.
            if (DeviceEndpoints.Validate(request) is string problem)
            {
                throw new CliException(problem);
            }

            using HubTarget target = await HubTarget.ResolveAsync(parseResult, common, cancellationToken);
            EnrollDeviceResponse enrolled = target.Api is HubApiClient api
                ? await api.PostAsync<EnrollDeviceResponse>("/api/devices", JsonContent.Create(request), cancellationToken)
                : await EnrollOfflineAsync(target.DataDirectory, request);

            // The password is the command's output: the operator hands it to the device once.
            CliOutput.Json(enrolled);
            return 0;
        });
        return enroll;
    }

    private static async Task<EnrollDeviceResponse> EnrollOfflineAsync(string dataDirectory, EnrollDeviceRequest request)
    {
        await using OfflineHub hub = OfflineHub.Open(dataDirectory, create: false);
        KeyRing keys = hub.Get<KeyRing>();
        keys.Load();
        string password = hub.Get<DeviceStore>().Enroll(request.DeviceId!, request.DeviceClass!, (byte)request.Zone);
        await hub.Get<AuditLog>().AppendAsync(AuditKinds.Enrollment, AuditActors.Operator, new
        {
            deviceId = request.DeviceId,
            deviceClass = request.DeviceClass,
            zone = request.Zone,
        });

        // Port 0 says the broker port is not known while the hub is stopped; hub.endpoints.json has it after start.
        return new EnrollDeviceResponse(
            request.DeviceId!,
            request.DeviceId!,
            password,
            hub.Options.Venue,
            hub.Options.EventId,
            Convert.ToBase64String(keys.RootPublicKey),
            hub.Options.Mqtt.Port);
    }

    private static Command CreateList(CommonOptions common)
    {
        var list = common.AddTo(new Command("list", "List enrolled devices with state, last seen and reported versions."));
        CliRunner.SetAction(list, async (parseResult, cancellationToken) =>
        {
            using HubTarget target = await HubTarget.ResolveAsync(parseResult, common, cancellationToken);
            IReadOnlyList<DeviceDetails> devices = await ReadAsync(target, cancellationToken);
            if (parseResult.GetValue(common.Json))
            {
                CliOutput.Json(devices);
                return 0;
            }

            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            CliOutput.Table(
                ["device", "class", "zone", "state", "last seen", "key list", "snapshot", "last detail"],
                devices.Select(device => (IReadOnlyList<string>)
                [
                    device.DeviceId,
                    device.DeviceClass,
                    device.Zone.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    device.State,
                    CliOutput.Age(device.LastSeenMs, now),
                    device.KeyListVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                    device.SnapshotVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                    device.LastDetail ?? "-",
                ]));
            return 0;
        });
        return list;
    }
}
