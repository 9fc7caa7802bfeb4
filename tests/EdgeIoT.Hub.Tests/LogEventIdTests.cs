using System.Text.RegularExpressions;

namespace EdgeIoT.Hub.Tests;

/// <summary>
/// Every log event id in the hub's source belongs to one event, so an operator's filter on an id
/// (docs/hub.md, "Log events") finds only that event. The ids are read from the source, because
/// [LoggerMessage] is a source generator attribute that the compiler leaves out of the assembly.
/// </summary>
public sealed partial class LogEventIdTests
{
    [Fact]
    public void HubSource_LogEventIds_AreUnique()
    {
        string hubFolder = Path.Combine(FindRepositoryRoot(), "hub", "EdgeIoT.Hub");
        var uses = new List<(int EventId, string Where)>();
        foreach (string file in Directory.EnumerateFiles(hubFolder, "*.cs", SearchOption.AllDirectories))
        {
            if (IsBuildOutput(hubFolder, file))
            {
                continue;
            }

            string text = File.ReadAllText(file);
            foreach (Match match in EventIdDeclaration().Matches(text))
            {
                int line = text.AsSpan(0, match.Index).Count('\n') + 1;
                string id = match.Groups["named"].Success ? match.Groups["named"].Value : match.Groups["positional"].Value;
                uses.Add((int.Parse(id, System.Globalization.CultureInfo.InvariantCulture), $"{Path.GetRelativePath(hubFolder, file)}:{line}"));
            }
        }

        string[] duplicates = uses
            .GroupBy(use => use.EventId)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key} in {string.Join(", ", group.Select(use => use.Where))}")
            .ToArray();

        Assert.True(uses.Count > 50, $"Found only {uses.Count} log event ids in {hubFolder}; the pattern no longer matches the source.");
        Assert.True(duplicates.Length == 0, "Log event ids used more than once: " + string.Join("; ", duplicates));
    }

    private static bool IsBuildOutput(string projectFolder, string file)
    {
        string relative = Path.GetRelativePath(projectFolder, file);
        return relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EdgeIoT.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No EdgeIoT.sln above {AppContext.BaseDirectory}.");
    }

    // [LoggerMessage(EventId = 1101, ...)] or [LoggerMessage(1101, ...)], and logger.LogWarning(2001, ...) calls.
    [GeneratedRegex(
        @"\[LoggerMessage\(\s*(?:EventId\s*=\s*(?<named>\d+)|(?<positional>\d+)\s*,)|\.Log(?:Trace|Debug|Information|Warning|Error|Critical)\(\s*(?<positional>\d+)\s*,",
        RegexOptions.CultureInvariant)]
    private static partial Regex EventIdDeclaration();
}
