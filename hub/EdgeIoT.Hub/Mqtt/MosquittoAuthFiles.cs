using System.Text;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Hub.Mqtt;

/// <summary>
/// Writes Mosquitto's password file (mosquitto_passwd format) and ACL file (acl_file format)
/// from the enrolled devices, with the rules of the embedded broker's <see cref="TopicAcl"/>:
/// a device writes only below its own subtree and to the check request topic, and reads its own
/// subtree and the venue's distribution topics. The hub's account reads and writes the venue's
/// topics, and the operator account reads every EdgeIoT topic.
/// </summary>
public sealed class MosquittoAuthFiles(DeviceStore devices, HubOptions options)
{
    /// <summary>Writes both files through temporary files and renames. Returns the device ids skipped for lack of a hash.</summary>
    public IReadOnlyList<string> Write(string passwordFile, string aclFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(passwordFile);
        ArgumentException.ThrowIfNullOrWhiteSpace(aclFile);

        IReadOnlyList<(string DeviceId, string? MosquittoHash)> accounts = devices.ReadMosquittoHashes();
        ExternalBrokerOptions external = options.Mqtt.External;
        var passwords = new StringBuilder();
        var acl = new StringBuilder();
        var skipped = new List<string>();
        if (!string.IsNullOrEmpty(external.Password))
        {
            AppendPassword(passwords, external.UserName, MosquittoPassword.Hash(external.Password));
        }

        AppendHubRules(acl, external.UserName);
        foreach ((string deviceId, string? hash) in accounts)
        {
            if (hash is null)
            {
                skipped.Add(deviceId);
                continue;
            }

            AppendPassword(passwords, deviceId, hash);
            if (deviceId == SessionIdentity.OperatorUserName)
            {
                AppendOperatorRules(acl);
            }
            else
            {
                AppendDeviceRules(acl, deviceId);
            }
        }

        WriteAtomically(passwordFile, passwords.ToString());
        WriteAtomically(aclFile, acl.ToString());
        return skipped;
    }

    /// <summary>Returns the number of accounts a <see cref="Write"/> call puts in the password file.</summary>
    public int CountAccounts() =>
        devices.ReadMosquittoHashes().Count(account => account.MosquittoHash is not null)
        + (string.IsNullOrEmpty(options.Mqtt.External.Password) ? 0 : 1);

    private static void AppendPassword(StringBuilder file, string userName, string hash) =>
        file.Append(userName).Append(':').Append(hash).Append('\n');

    private void AppendHubRules(StringBuilder file, string hubUserName)
    {
        file.Append("# Written by the EdgeIoT hub from its enrolled devices; changes here are overwritten.\n\n");
        file.Append("user ").Append(hubUserName).Append('\n');
        file.Append("topic readwrite ").Append(Topics.Root).Append('/').Append(options.Venue).Append("/#\n\n");
    }

    private static void AppendOperatorRules(StringBuilder file)
    {
        file.Append("user ").Append(SessionIdentity.OperatorUserName).Append('\n');
        file.Append("topic read ").Append(Topics.Root).Append("/#\n\n");
    }

    private void AppendDeviceRules(StringBuilder file, string deviceId)
    {
        string venue = options.Venue;
        string own = $"{Topics.Root}/{venue}/devices/{deviceId}/#";
        file.Append("user ").Append(deviceId).Append('\n');
        file.Append("topic write ").Append(own).Append('\n');
        file.Append("topic write ").Append(Topics.CheckRequest(venue)).Append('\n');
        file.Append("topic write ").Append(Topics.SnapshotRequest(venue)).Append('\n');
        file.Append("topic read ").Append(own).Append('\n');
        foreach (string topic in new[] { Topics.Keys(venue), Topics.Delegations(venue), Topics.Snapshot(venue), Topics.Policy(venue), Topics.Time(venue) })
        {
            file.Append("topic read ").Append(topic).Append('\n');
        }

        file.Append('\n');
    }

    private static void WriteAtomically(string path, string content)
    {
        string temporary = path + ".tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Owner and group only: Mosquitto runs as its own user, so give the file to its group.
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        }

        File.Delete(temporary);
        using (var stream = new FileStream(temporary, fileOptions))
        {
            stream.Write(Encoding.UTF8.GetBytes(content));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
