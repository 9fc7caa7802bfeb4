using System.CommandLine;
using EdgeIoT.Hub.Storage;

namespace EdgeIoT.Hub.Mqtt;

/// <summary>The "mosquitto-auth" command: writes Mosquitto's password and ACL files from the enrolled devices.</summary>
public static class MosquittoAuthCommand
{
    public static Command Create(Option<DirectoryInfo?> dataOption)
    {
        ArgumentNullException.ThrowIfNull(dataOption);

        var passwordFile = new Option<FileInfo>("--password-file")
        {
            Description = "Mosquitto password_file to write (mosquitto_passwd format).",
            Required = true,
        };
        var aclFile = new Option<FileInfo>("--acl-file")
        {
            Description = "Mosquitto acl_file to write.",
            Required = true,
        };
        var command = new Command(
            "mosquitto-auth",
            "Write Mosquitto's password and ACL files from the enrolled devices, the operator and the hub's own account "
            + "(Hub:Mqtt:External:UserName and Password). Send Mosquitto SIGHUP afterwards to reload them.")
        {
            dataOption,
            passwordFile,
            aclFile,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            DirectoryInfo? data = parseResult.GetValue(dataOption);
            await using WebApplication app = HubApp.Build(
                [.. parseResult.UnmatchedTokens],
                options => options.DataDirectory = data?.FullName ?? options.DataDirectory);
            app.Services.GetRequiredService<HubDatabase>().Migrate();
            return await WriteAsync(app.Services.GetRequiredService<MosquittoAuthFiles>(),
                parseResult.GetRequiredValue(passwordFile), parseResult.GetRequiredValue(aclFile));
        });
        return command;
    }

    private static async Task<int> WriteAsync(MosquittoAuthFiles files, FileInfo passwordFile, FileInfo aclFile)
    {
        try
        {
            IReadOnlyList<string> skipped = files.Write(passwordFile.FullName, aclFile.FullName);
            Console.WriteLine($"Wrote {files.CountAccounts()} accounts to {passwordFile.FullName} and {aclFile.FullName}.");
            if (skipped.Count > 0)
            {
                await Console.Error.WriteLineAsync(
                    $"Skipped {string.Join(", ", skipped)}: enrolled before the hub stored Mosquitto hashes; enroll them again.");
                return 1;
            }

            return 0;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"Writing the Mosquitto files failed: {exception.Message}");
            return 2;
        }
    }
}
