using System.CommandLine;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Crypto;

namespace EdgeIoT.TokenTool;

/// <summary>Command line of edgeiot-token: `inspect` decodes credentials and runs the verification pipeline.</summary>
public static class TokenToolCommands
{
    /// <summary>Exit code when every credential is valid.</summary>
    public const int Valid = 0;

    /// <summary>Exit code when at least one credential was rejected.</summary>
    public const int Rejected = 1;

    /// <summary>Exit code when the command line, the inputs or the key list could not be used.</summary>
    public const int UsageError = 2;

    /// <summary>
    /// Parses and runs a command line. A parse error (unknown option, missing argument or
    /// command) prints one line per error and a hint to stderr, and exits with <see cref="UsageError"/>.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);

        ParseResult parseResult = Build(output, error).Parse(args);
        if (parseResult.Errors.Count == 0)
        {
            return await parseResult.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        }

        foreach (System.CommandLine.Parsing.ParseError parseError in parseResult.Errors)
        {
            await error.WriteLineAsync(parseError.Message);
        }

        await error.WriteLineAsync("Run 'edgeiot-token inspect --help' for the options.");
        return UsageError;
    }

    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        var root = new RootCommand("EdgeIoT token tool: inspect tokens, passes and NFC tags as a gate would verify them.");
        root.Subcommands.Add(BuildInspect(output, error));
        return root;
    }

    private static Command BuildInspect(TextWriter output, TextWriter error)
    {
        var options = new InspectOptions();
        var inspect = new Command(
            "inspect",
            "Print the claims of each credential and the verdict with its reason. Exit code 0 only when every credential is valid, 1 when any is rejected, 2 when the inputs cannot be read.");
        foreach (Option option in options.All)
        {
            inspect.Options.Add(option);
        }

        inspect.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                return await RunAsync(options.Read(parseResult), output, cancellationToken);
            }
            catch (Exception exception) when (exception is KeySourceException or InspectInputException or IOException)
            {
                await error.WriteLineAsync(exception.Message);
                return UsageError;
            }
        });
        return inspect;
    }

    private static async Task<int> RunAsync(InspectRequest request, TextWriter output, CancellationToken cancellationToken)
    {
        LoadedKeys keys = await LoadKeysAsync(request, cancellationToken);
        var verifier = new TokenVerifier(NSecSignatureVerifier.Instance, keys.List.EventId, request.SkewSeconds);
        verifier.TryInstallKeys(keys.List);
        if (request.RotatingCodeKey is not null)
        {
            verifier.SetRotatingCodeKey(request.RotatingCodeKey);
        }

        await output.WriteLineAsync(
            $"key list: version {keys.List.Version}, event {keys.List.EventId}, {keys.List.Count} keys, from {keys.Origin}"
            + (keys.RootPinned ? ", root pinned by --root-key" : ", root key named by the source itself (pass --root-key to pin it)"));
        await output.WriteLineAsync(
            $"checked at: {DateTimeOffset.FromUnixTimeSeconds(request.Now):yyyy-MM-dd HH:mm:ss} UTC, gate zone {request.Zone}, skew {request.SkewSeconds} s");

        int rejected = 0;
        int count = 0;
        foreach (Credential credential in request.Credentials())
        {
            count++;
            VerifyResult? result = credential.Bytes is null
                ? null
                : verifier.Verify(
                    credential.Bytes, request.ChipUid, request.Now, clockReliable: true, request.Zone, revocations: null, seen: null);
            InspectReport.Write(output, credential, result, keys.List, request.Now);
            rejected += result?.IsValid == true ? 0 : 1;
        }

        if (count == 0)
        {
            throw new InspectInputException("No credential to inspect: the inputs hold no non-empty line.");
        }

        await output.WriteLineAsync($"{count - rejected} of {count} valid");
        return rejected == 0 ? Valid : Rejected;
    }

    private static async Task<LoadedKeys> LoadKeysAsync(InspectRequest request, CancellationToken cancellationToken)
    {
        if (request.KeyListFile is not null)
        {
            return await KeySource.FromFileAsync(request.KeyListFile, request.RootKey, cancellationToken);
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await KeySource.FromHubAsync(request.Hub!, request.RootKey, http, cancellationToken);
    }
}
