using System.Net.Http.Json;
using System.Text.Json;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Crypto;

namespace EdgeIoT.TokenTool;

/// <summary>
/// Loads the root-signed key list: a binary file as devices store it, a JSON file saved from
/// GET /api/keys, or that route of a running hub. The list signature is always checked, with
/// the pinned root key when one is given, otherwise with the root key the source names.
/// </summary>
internal static class KeySource
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<LoadedKeys> FromFileAsync(FileInfo file, byte[]? pinnedRoot, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            throw new KeySourceException($"Key list file '{file.FullName}' was not found.");
        }

        byte[] content = await File.ReadAllBytesAsync(file.FullName, cancellationToken);
        if (content.Length > 0 && content[0] == (byte)'{')
        {
            return FromDocument(ReadDocument(content, file.Name), pinnedRoot, $"file {file.Name}");
        }

        // A binary list starts with its format byte 1, a control character, so a file of
        // printable text is a copy of something else, often the base64 signedKeyList alone.
        if (IsText(content))
        {
            throw new KeySourceException(
                $"Key list file '{file.Name}' is text, not the binary key list or the JSON of GET /api/keys: "
                + "save the whole /api/keys response, or decode its base64 signedKeyList into a binary file.");
        }

        if (pinnedRoot is null)
        {
            throw new KeySourceException(
                $"Key list file '{file.Name}' is binary and names no root key: pass --root-key with the venue root public key (base64).");
        }

        return Parse(content, pinnedRoot, pinned: true, $"file {file.Name}");
    }

    public static async Task<LoadedKeys> FromHubAsync(Uri hub, byte[]? pinnedRoot, HttpClient http, CancellationToken cancellationToken)
    {
        var address = new Uri(hub, "/api/keys");
        KeyListDocument? document;
        try
        {
            document = await http.GetFromJsonAsync<KeyListDocument>(address, Json, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or TaskCanceledException)
        {
            throw new KeySourceException($"Fetching the key list from {address} failed: {exception.Message}", exception);
        }

        return FromDocument(document ?? throw new KeySourceException($"{address} returned no key list."), pinnedRoot, address.ToString());
    }

    private static KeyListDocument ReadDocument(byte[] content, string name)
    {
        try
        {
            return JsonSerializer.Deserialize<KeyListDocument>(content, Json)
                ?? throw new KeySourceException($"Key list file '{name}' contains no JSON object.");
        }
        catch (JsonException exception)
        {
            throw new KeySourceException(
                $"Key list file '{name}' is not valid JSON (line {exception.LineNumber + 1}): save the whole GET /api/keys response.",
                exception);
        }
    }

    private static bool IsText(byte[] content) =>
        content.Length > 0 && content.All(b => b is (byte)'\t' or (byte)'\n' or (byte)'\r' or (>= 0x20 and < 0x7f));

    private static LoadedKeys FromDocument(KeyListDocument document, byte[]? pinnedRoot, string origin)
    {
        byte[] signed = DecodeBase64(document.SignedKeyList, "signedKeyList", origin);
        byte[] root = pinnedRoot ?? DecodeBase64(document.RootPublicKey, "rootPublicKey", origin);
        return Parse(signed, root, pinnedRoot is not null, origin);
    }

    private static LoadedKeys Parse(byte[] signed, byte[] root, bool pinned, string origin)
    {
        KeyList? list = KeyList.TryParseSigned(signed, root, NSecSignatureVerifier.Instance, out string? error);
        if (list is null)
        {
            throw new KeySourceException($"Key list from {origin} is invalid: {error}.");
        }

        return new LoadedKeys(list, origin, pinned);
    }

    private static byte[] DecodeBase64(string? value, string field, string origin)
    {
        try
        {
            return Convert.FromBase64String(value ?? throw new KeySourceException($"Key list from {origin} has no {field}."));
        }
        catch (FormatException)
        {
            throw new KeySourceException($"Key list from {origin} has a {field} that is not base64.");
        }
    }

    /// <summary>The fields of GET /api/keys that the tool reads.</summary>
    private sealed record KeyListDocument(string? RootPublicKey, string? SignedKeyList);
}

/// <summary>A key list whose root signature was checked; <c>RootPinned</c> is true when the root came from --root-key.</summary>
internal sealed record LoadedKeys(KeyList List, string Origin, bool RootPinned);

/// <summary>The key list could not be loaded or did not verify; the message names the source and the cause.</summary>
internal sealed class KeySourceException(string message, Exception? inner = null) : Exception(message, inner);
