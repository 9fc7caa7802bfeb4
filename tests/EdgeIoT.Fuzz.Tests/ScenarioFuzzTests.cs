using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using EdgeIoT.Simulator.Scenarios;

namespace EdgeIoT.Fuzz.Tests;

/// <summary>
/// Scenario files a rehearsal author writes by hand. The loader and validator either build
/// options or throw a <see cref="ScenarioException"/> that names the field or the position in
/// the file, without .NET type names.
/// </summary>
public sealed partial class ScenarioFuzzTests : IDisposable
{
    private static readonly string ScenarioFolder = Path.Combine(Corpus.RepositoryRoot, "simulators", "scenarios");

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "edgeiot-scenario-fuzz", Guid.NewGuid().ToString("N"));

    [Fact]
    public void ScenarioFile_Mutants_LoadOrNameField()
    {
        IReadOnlyList<byte[]> files =
            [.. Directory.GetFiles(ScenarioFolder, "*.json").Where(f => !f.EndsWith("schema.json", StringComparison.Ordinal)).Select(File.ReadAllBytes)];
        Mutator.Mutants(files).Sample(bytes =>
        {
            string json = Encoding.UTF8.GetString(bytes);
            ParserProbe.Run("ScenarioLoader.Parse + ScenarioValidator.ToOptions", bytes, () =>
            {
                try
                {
                    ScenarioDocument document = ScenarioLoader.Parse(json, "fuzz.json", shortForm: bytes.Length % 2 == 0);
                    ScenarioValidator.ToOptions(document, ScenarioFolder, _dataDirectory, shortForm: false);
                }
                catch (ScenarioException error)
                {
                    string reason = error.Message.Replace("Scenario file fuzz.json", "", StringComparison.Ordinal).TrimStart(' ', ':');
                    Assert.Matches(FieldOrPosition(), reason);
                    Assert.DoesNotMatch(DotNetTypeName(), error.Message);
                    throw;
                }
            }, bytesPerInputByte: 512, documented: typeof(ScenarioException));
        }, iter: FuzzBudget.Iterations(10_000));
    }

    [Fact]
    public void ScenarioFile_DuplicateField_NamesField()
    {
        const string json = "{\n  \"name\": \"a\",\n  \"name\": \"b\"\n}";

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(json, "twice.json", shortForm: false));

        Assert.Contains("twice.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("'name'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("line ,", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"seed\":\"abc\"}", "seed \"abc\" is invalid")]
    [InlineData("{\"name\":\"x\",\"seed\":1.5}", "seed 1.5 is invalid")]
    [InlineData("{\"name\":\"x\",\"crowd\":{\"arriving\":true}}", "crowd.arriving true is invalid")]
    [InlineData("{\"name\":\"x\",\"venue\":{\"lanes\":7}}", "venue.lanes 7 is invalid")]
    public void ScenarioFile_WrongType_NamesPath(string json, string expected)
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(json, "typed.json", shortForm: false));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotMatch(DotNetTypeName(), error.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    /// <summary>
    /// A JSON path, a line and byte position, a quoted field, or a field name first, as in
    /// "crowd.arriving 0 is invalid".
    /// </summary>
    [GeneratedRegex(@"(\$|line \d+|'[^']+'|^[a-zA-Z]+(\.[a-zA-Z]+|\[\d+\])*[: ]|""short""|top level|is empty)")]
    private static partial Regex FieldOrPosition();

    [GeneratedRegex(@"System\.|EdgeIoT\.|Nullable`")]
    private static partial Regex DotNetTypeName();
}
