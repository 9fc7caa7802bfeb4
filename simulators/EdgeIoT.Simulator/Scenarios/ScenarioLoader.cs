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
        if (shortForm)
        {
            // The full form is checked too, so a file that CI runs only in its short form
            // cannot hide an invalid value until the next rehearsal.
            ToOptions(Read(file, shortForm: false), file, folder, dataDirectory, shortForm: false);
        }

        return ToOptions(Read(file, shortForm), file, folder, dataDirectory, shortForm);
    }

    private static ScenarioOptions ToOptions(
        ScenarioDocument document, string file, string folder, string dataDirectory, bool shortForm)
    {
        try
        {
            return ScenarioValidator.ToOptions(document, folder, dataDirectory, shortForm);
        }
        catch (ScenarioException ex)
        {
            throw new ScenarioException($"Scenario file {file}: {ex.Message}", ex);
        }
    }

    /// <summary>Parses the file and applies the short form; shape errors name the JSON path.</summary>
    public static ScenarioDocument Read(string file, bool shortForm)
    {
        if (!File.Exists(file))
        {
            throw new ScenarioException($"Scenario file {file} not found.");
        }

        return Parse(File.ReadAllText(file), file, shortForm);
    }

    /// <summary>
    /// Parses scenario JSON and applies the short form; <paramref name="file"/> names the source
    /// in error messages. Every error is a <see cref="ScenarioException"/>.
    /// </summary>
    public static ScenarioDocument Parse(string json, string file, bool shortForm)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(file);

        JsonObject root = ParseObject(json, file);
        JsonNode? shortNode = root[ShortSection];
        root.Remove(ShortSection);

        // The full form is read even for --short, so a wrong type there is an error whichever
        // form runs. After that, a shape error of the merged document lies in the short section.
        ScenarioDocument full = Deserialize(root, file, "");
        if (!shortForm)
        {
            return full;
        }

        if (shortNode is not JsonObject overrides)
        {
            throw new ScenarioException(
                $"Scenario file {file} has no \"{ShortSection}\" object, so it has no short form; run it without --short.");
        }

        JsonMerge.Apply(root, overrides);
        return Deserialize(root, file, ShortSection + ".");
    }

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
