using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace EdgeIoT.Hub.Options;

/// <summary>
/// Names where a setting's value came from (the command line, an environment variable or a
/// JSON settings file), so an error about a value can tell the operator where to change it.
/// </summary>
public static class SettingOrigin
{
    /// <summary>
    /// Returns "set on the command line", "set by the environment variable Hub__Keys__X" or
    /// "set in /path/file.json" for the configuration source that supplies <paramref name="key"/>.
    /// Returns null when no source supplies <paramref name="value"/>, because code overrode it.
    /// </summary>
    public static string? Describe(IConfiguration configuration, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrEmpty(key);

        if (configuration is not IConfigurationRoot root)
        {
            return null;
        }

        // The last provider that has the key wins, as in IConfigurationRoot's own lookup.
        IConfigurationProvider? source = root.Providers.LastOrDefault(provider => provider.TryGet(key, out _));
        if (source is null || !source.TryGet(key, out string? supplied) || supplied != value)
        {
            return null;
        }

        return source switch
        {
            CommandLineConfigurationProvider => "set on the command line",
            EnvironmentVariablesConfigurationProvider => $"set by the environment variable {key.Replace(":", "__", StringComparison.Ordinal)}",
            FileConfigurationProvider file => $"set in {PhysicalPath(file.Source)}",
            _ => null,
        };
    }

    private static string PhysicalPath(FileConfigurationSource source) =>
        source.FileProvider?.GetFileInfo(source.Path ?? string.Empty).PhysicalPath ?? source.Path ?? "a settings file";
}
