namespace EdgeIoT.Protocol.Hosting;

/// <summary>
/// The command-line tokens that the hub, the ledger and the edge agent pass on to configuration:
/// settings written as --Section:Key=value or --Section:Key value, such as --Hub:Mqtt:Port=0.
/// Any other token the parser did not match is a mistake, such as a misspelt option.
/// </summary>
public static class SettingArguments
{
    /// <summary>Returns the first token that is not a configuration setting, or null when all are.</summary>
    public static string? FindUnknown(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);

        for (int i = 0; i < tokens.Count; i++)
        {
            string token = tokens[i];
            if (!token.StartsWith("--", StringComparison.Ordinal))
            {
                return token;
            }

            int equals = token.IndexOf('=', StringComparison.Ordinal);
            string key = equals < 0 ? token[2..] : token[2..equals];
            if (!key.Contains(':', StringComparison.Ordinal))
            {
                return token;
            }

            if (equals < 0)
            {
                // The value follows as its own token.
                i++;
            }
        }

        return null;
    }
}
