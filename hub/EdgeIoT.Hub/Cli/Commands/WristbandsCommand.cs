using System.CommandLine;
using System.Net.Http.Json;
using EdgeIoT.Hub.Api;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Hub.Cli.Commands;

/// <summary>
/// wristbands issue: the encoding station's command. It requests from the running hub a wristband
/// credential bound to a chip UID and writes the Type 2 tag data to a file for the writer.
/// </summary>
public static class WristbandsCommand
{
    public static Command Create(CommonOptions common)
    {
        ArgumentNullException.ThrowIfNull(common);

        var order = new Option<string>("--order")
        {
            Description = "The guest's order code, as in the imported guest list.",
            Required = true,
        };
        var uid = new Option<string>("--uid")
        {
            Description = "The chip UID the reader shows: 14 hex digits, colons, spaces or dashes allowed.",
            Required = true,
        };
        var output = new Option<FileInfo?>("--out")
        {
            Description = "File to write the tag data to (binary, from page 4 of the chip); default prints it as hex.",
        };

        var issue = common.AddTo(new Command("issue",
            "Issue an event-long wristband credential bound to one chip (needs the running hub).") { order, uid, output });
        CliRunner.SetAction(issue, async (parseResult, cancellationToken) =>
        {
            // The UID is checked before the hub is contacted, so a typo costs no round trip.
            string uidText = parseResult.GetRequiredValue(uid);
            if (!ChipUids.TryParse(uidText, out byte[]? chipUid, out string? uidError))
            {
                throw new CliException("--" + uidError);
            }

            using HubTarget target = await HubTarget.ResolveAsync(parseResult, common, cancellationToken);
            HubApiClient api = target.RequireRunning("wristbands issue");
            WristbandResponse wristband = await api.PostAsync<WristbandResponse>(
                "api/wristbands",
                JsonContent.Create(new WristbandRequest(parseResult.GetRequiredValue(order), ChipUids.ToHex(chipUid))),
                cancellationToken);
            byte[] tagData = Convert.FromBase64String(wristband.TagData);

            FileInfo? file = parseResult.GetValue(output);
            if (file is not null)
            {
                await File.WriteAllBytesAsync(file.FullName, tagData, cancellationToken);
            }

            if (parseResult.GetValue(common.Json))
            {
                CliOutput.Json(wristband);
                return 0;
            }

            DateTimeOffset expires = DateTimeOffset.FromUnixTimeMilliseconds(wristband.ExpiresAtMs);
            Console.WriteLine(
                $"Wristband for entitlement {wristband.EntitlementId} bound to chip {ChipUids.ToHex(chipUid)}, valid until {expires:u}.");
            Console.WriteLine(file is null
                ? $"Tag data ({tagData.Length} bytes, write from page 4): {Convert.ToHexString(tagData)}"
                : $"Tag data ({tagData.Length} bytes, write from page 4) written to {file.FullName}.");
            return 0;
        });

        return new Command("wristbands", "Wristband credentials bound to an NFC chip UID.") { issue };
    }
}
