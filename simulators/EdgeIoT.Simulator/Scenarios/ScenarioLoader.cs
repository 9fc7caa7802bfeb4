using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EdgeIoT.Simulator.Orchestration;

namespace EdgeIoT.Simulator.Scenarios;

/// <summary>
/// Reads a scenario file strictly: unknown fields, wrong types and out-of-range values are
/// errors that name the field and the value. With <c>shortForm</c> the file's "short" section
/// is merged over the full form first, which is how CI runs every scenario in seconds.
/// </summary>
public static class ScenarioLoader
{
    public const string ShortSection = "short";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        NumberHandling = JsonNumberHandling.Strict,
    };

    /// <summary>Folder of the shipped scenarios next to the simulator's binaries.</summary>
    public static string ShippedFolder => Path.Combine(AppContext.BaseDirectory, "scenarios");

    /// <summary>The scenario a run without --scenario uses.</summary>
    public static string DefaultFile => Path.Combine(ShippedFolder, "default.json");

    public static ScenarioOptions Load(string file, bool shortForm, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(file);

        string folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        ScenarioForms forms = ParseForms(ReadText(file), file);

        // Both forms are checked whichever runs, so a file that CI runs only in its short form,
        // or a rehearsal runs only in its full form, cannot hide an invalid value in the other.
        ScenarioOptions full = ToOptions(forms.Full, file, folder, dataDirectory, shortSection: null);
        ScenarioOptions? shortened = forms.Shortened is null
            ? null
            : ToOptions(forms.Shortened, file, folder, dataDirectory, forms.ShortSection);
        if (!shortForm)
        {
            return full;
        }

        return shortened ?? throw NoShortForm(file);
    }

    private static ScenarioOptions ToOptions(
        ScenarioDocument document, string file, string folder, string dataDirectory, JsonObject? shortSection)
    {
        try
        {
            return ScenarioValidator.ToOptions(document, folder, dataDirectory, shortForm: shortSection is not null);
        }
        catch (ScenarioException ex) when (shortSection is null)
        {
            throw new ScenarioException($"Scenario file {file}: {ex.Message}", ex);
        }
        catch (ScenarioException ex) when (ex.Field is { } field && JsonMerge.Sets(shortSection!, field))
        {
            throw new ScenarioException($"Scenario file {file}: {ShortSection}.{ex.Message}", ex);
        }
        catch (ScenarioException ex)
        {
            // The full form passed, so a value of the full form conflicts with one of the short section.
            throw new ScenarioException($"Scenario file {file}: in the short form, {ex.Message}", ex);
        }
    }

    /// <summary>Parses the file and applies the short form; shape errors name the field.</summary>
    public static ScenarioDocument Read(string file, bool shortForm) => Parse(ReadText(file), file, shortForm);

    /// <summary>
    /// Parses scenario JSON and applies the short form; <paramref name="file"/> names the source
    /// in error messages. Every error is a <see cref="ScenarioException"/>.
    /// </summary>
    public static ScenarioDocument Parse(string json, string file, bool shortForm)
    {
        ScenarioForms forms = ParseForms(json, file);
        if (!shortForm)
        {
            return forms.Full;
        }

        return forms.Shortened ?? throw NoShortForm(file);
    }

    /// <summary>
    /// Parses both forms of a scenario. The short section's shape is checked even when only the
    /// full form runs, and its errors start with "short.".
    /// </summary>
    public static ScenarioForms ParseForms(string json, string file)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(file);

        JsonObject root = ParseObject(json, file);
        JsonNode? shortNode = root[ShortSection];
        root.Remove(ShortSection);

        // The full form is read first, so after it a shape error of the merged document lies
        // in the short section.
        ScenarioDocument full = Deserialize(root, file, "");
        if (shortNode is null)
        {
            return new ScenarioForms(full, null, null);
        }

        if (shortNode is not JsonObject overrides)
        {
            throw new ScenarioException(
                $"Scenario file {file}: {ShortSection} {shortNode.ToJsonString()} is invalid: use an object with any of the top-level fields.");
        }

        JsonMerge.Apply(root, overrides);
        return new ScenarioForms(full, Deserialize(root, file, ShortSection + "."), overrides);
    }

    private static string ReadText(string file)
    {
        if (Directory.Exists(file))
        {
            throw new ScenarioException(
                $"Scenario file {file} is a folder, not a file; give the path of a scenario JSON file, such as {DefaultFile}.");
        }

        if (!File.Exists(file))
        {
            throw new ScenarioException($"Scenario file {file} not found.");
        }

        return File.ReadAllText(file);
    }

    private static ScenarioException NoShortForm(string file) =>
        new($"Scenario file {file} has no \"{ShortSection}\" object, so it has no short form; run it without --short.");

    private static ScenarioDocument Deserialize(JsonObject root, string file, string fieldPrefix)
    {
        try
        {
            return root.Deserialize<ScenarioDocument>(Json)
                ?? throw new ScenarioException($"Scenario file {file} is empty.");
        }
        catch (JsonException ex)
        {
            throw new ScenarioException($"Scenario file {file}: {ScenarioJsonErrors.Describe(ex, root, Json, fieldPrefix)}", ex);
        }
    }

    private static JsonObject ParseObject(string json, string file)
    {
        try
        {
            JsonNode? node = JsonNode.Parse(
                json,
                documentOptions: new JsonDocumentOptions
                {
                    // Strict JSON, as JSON Schema tools and other readers of the file expect, so
                    // comments and trailing commas are syntax errors.
                    CommentHandling = JsonCommentHandling.Disallow,
                    AllowTrailingCommas = false,

                    // A field given twice would otherwise fail later with a dictionary error that names no line.
                    AllowDuplicateProperties = false,
                });
            return node as JsonObject
                ?? throw new ScenarioException($"Scenario file {file} is invalid: the top level must be a JSON object.");
        }
        catch (JsonException ex)
        {
            // A duplicate field is reported after parsing, without a position.
            string position = ex.LineNumber is { } line
                ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})"
                : "";
            throw new ScenarioException($"Scenario file {file} is not valid JSON{position}: {Explain(ex.Message)}", ex);
        }
    }

    // The reader's advice for these two cases is to change its options, which a scenario
    // author cannot do.
    private static string Explain(string message)
    {
        if (message.Contains("trailing comma", StringComparison.Ordinal))
        {
            return "the object or array ends with a comma; remove that comma.";
        }

        return message.StartsWith("'/' is invalid", StringComparison.Ordinal)
            ? "comments are not JSON; remove the comment or move the note into \"description\"."
            : WithoutPosition(message);
    }

    // The reader appends "LineNumber: 4 | BytePositionInLine: 13." (zero-based), which would
    // repeat the one-based position already given.
    private static string WithoutPosition(string message)
    {
        int start = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        int path = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (path > 0 && (start < 0 || path < start))
        {
            start = path;
        }

        return start > 0 ? message[..start] : message;
    }
}
