using System.CommandLine;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.TokenTool;

/// <summary>Options of the inspect command and their validation into an <see cref="InspectRequest"/>.</summary>
internal sealed class InspectOptions
{
    private readonly Option<string[]> _qr = new("--qr")
    {
        Description = "QR text of a token or pass as a scanner reads it (\"EI1:...\"); may be repeated.",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<FileInfo> _file = new("--file") { Description = "Text file with one QR text per line." };

    private readonly Option<FileInfo> _ndef = new("--ndef")
    {
        Description = "Binary file with an NDEF message, or NFC Type 2 tag data that starts with the NDEF TLV.",
    };

    private readonly Option<string> _ndefHex = new("--ndef-hex") { Description = "The same NDEF bytes as hexadecimal text." };

    private readonly Option<string> _uid = new("--uid")
    {
        Description = "UID of the chip the NDEF bytes were read from, 14 hex digits; a wristband is valid only with the UID it was issued for.",
    };

    private readonly Option<FileInfo> _keyList = new("--key-list")
    {
        Description = "Root-signed key list: the binary list as devices store it, or the JSON of the hub's GET /api/keys.",
    };

    private readonly Option<string> _hub = new("--hub") { Description = "Base URL of a hub to fetch the key list from, such as http://127.0.0.1:5080." };

    private readonly Option<string> _rootKey = new("--root-key") { Description = "Venue root public key (base64, 32 bytes) that must have signed the key list." };

    private readonly Option<FileInfo> _rotatingKeyFile = new("--rotating-key-file")
    {
        Description = "File with the event's rotating-code key (base64), needed to check the codes of passes.",
    };

    private readonly Option<int> _zone = new("--zone") { Description = "Zone of the gate to check against, 0 to 255 (0: every zone).", DefaultValueFactory = _ => 0 };

    private readonly Option<long> _now = new("--now") { Description = "Check time in Unix seconds (default: this machine's clock)." };

    private readonly Option<int> _skew = new("--skew-seconds") { Description = "Clock skew tolerated, in seconds, 0 to 120.", DefaultValueFactory = _ => 20 };

    public IEnumerable<Option> All => [_qr, _file, _ndef, _ndefHex, _uid, _keyList, _hub, _rootKey, _rotatingKeyFile, _zone, _now, _skew];

    public InspectRequest Read(ParseResult parseResult)
    {
        string[] qr = parseResult.GetValue(_qr) ?? [];
        FileInfo? file = parseResult.GetValue(_file);
        FileInfo? ndef = parseResult.GetValue(_ndef);
        string? ndefHex = parseResult.GetValue(_ndefHex);
        if (qr.Length == 0 && file is null && ndef is null && ndefHex is null)
        {
            throw new InspectInputException("Nothing to inspect: give --qr, --file, --ndef or --ndef-hex.");
        }

        if (file is not null && !file.Exists)
        {
            throw new InspectInputException($"--file '{file.FullName}' was not found.");
        }

        if (ndef is not null && !ndef.Exists)
        {
            throw new InspectInputException($"--ndef '{ndef.FullName}' was not found.");
        }

        byte[]? ndefHexBytes = ndefHex is null ? null : ParseHex(ndefHex);
        return new InspectRequest
        {
            Credentials = () => ReadCredentials(qr, file, ndef, ndefHexBytes),
            KeyListFile = parseResult.GetValue(_keyList),
            Hub = ReadHub(parseResult.GetValue(_hub), parseResult.GetValue(_keyList)),
            RootKey = ReadKey(parseResult.GetValue(_rootKey), "--root-key", 32),
            RotatingCodeKey = ReadRotatingKey(parseResult.GetValue(_rotatingKeyFile)),
            ChipUid = ReadUid(parseResult.GetValue(_uid)),
            Zone = ReadZone(parseResult.GetValue(_zone)),
            Now = ReadNow(parseResult.GetResult(_now) is null ? null : parseResult.GetValue(_now)),
            SkewSeconds = ReadSkew(parseResult.GetValue(_skew)),
        };
    }

    private static IEnumerable<Credential> ReadCredentials(string[] qr, FileInfo? file, FileInfo? ndef, byte[]? ndefHex)
    {
        for (int i = 0; i < qr.Length; i++)
        {
            yield return CredentialReader.FromQrText($"--qr #{i + 1}", qr[i]);
        }

        if (file is not null)
        {
            foreach (Credential credential in CredentialReader.FromLines(file))
            {
                yield return credential;
            }
        }

        if (ndef is not null)
        {
            yield return CredentialReader.FromNdef(ndef.Name, File.ReadAllBytes(ndef.FullName));
        }

        if (ndefHex is not null)
        {
            yield return CredentialReader.FromNdef("--ndef-hex", ndefHex);
        }
    }

    // System.CommandLine 2.0 has no Uri parser, so the URL is checked here.
    private static Uri? ReadHub(string? hub, FileInfo? keyList)
    {
        if (hub is null)
        {
            return keyList is null
                ? throw new InspectInputException("No key list: give --key-list FILE or --hub URL.")
                : null;
        }

        if (keyList is not null)
        {
            throw new InspectInputException("Give either --key-list or --hub, not both.");
        }

        if (!Uri.TryCreate(hub, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InspectInputException($"--hub '{hub}' is not an absolute http or https URL, such as http://127.0.0.1:5080.");
        }

        return uri;
    }

    private static byte[]? ReadRotatingKey(FileInfo? file)
    {
        if (file is null)
        {
            return null;
        }

        if (!file.Exists)
        {
            throw new InspectInputException($"--rotating-key-file '{file.FullName}' was not found.");
        }

        return ReadKey(File.ReadAllText(file.FullName).Trim(), "--rotating-key-file", RotatingCode.KeyLength);
    }

    private static byte[]? ReadKey(string? base64, string option, int length)
    {
        if (base64 is null)
        {
            return null;
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new InspectInputException($"{option} is not base64: expected {length} key bytes in base64.");
        }

        return key.Length == length
            ? key
            : throw new InspectInputException($"{option} decodes to {key.Length} bytes, but the key is {length} bytes.");
    }

    private static byte[] ParseHex(string hex)
    {
        string compact = hex.Replace(" ", string.Empty, StringComparison.Ordinal).Replace(":", string.Empty, StringComparison.Ordinal);
        try
        {
            return Convert.FromHexString(compact);
        }
        catch (FormatException)
        {
            throw new InspectInputException($"--ndef-hex '{hex}' is not hexadecimal: use pairs of 0-9 and a-f, such as d40c6e...");
        }
    }

    private static byte[]? ReadUid(string? uid)
    {
        if (uid is null)
        {
            return null;
        }

        // The parser names the field "uid", so the prefix turns that into the option name.
        return ChipUids.TryParse(uid, out byte[]? parsed, out string? error)
            ? parsed
            : throw new InspectInputException("--" + error);
    }

    private static byte ReadZone(int zone) => zone is >= 0 and <= 255
        ? (byte)zone
        : throw new InspectInputException($"--zone {zone} is invalid: use 0 (every zone) to 255.");

    private static uint ReadNow(long? now)
    {
        long value = now ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return value is >= 0 and <= uint.MaxValue
            ? (uint)value
            : throw new InspectInputException($"--now {value} is invalid: use Unix seconds from 0 to {uint.MaxValue}.");
    }

    private static int ReadSkew(int skew) => skew is >= 0 and <= 120
        ? skew
        : throw new InspectInputException($"--skew-seconds {skew} is invalid: use 0 to 120.");
}
