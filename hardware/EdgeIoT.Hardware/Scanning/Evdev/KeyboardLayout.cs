namespace EdgeIoT.Hardware;

/// <summary>
/// Maps Linux key codes to characters for one keyboard layout, as the console keymap does. A
/// keyboard-mode scanner types each character with the keys of the layout it is set to, so the
/// host must decode with the same layout. A mismatch turns some characters into others (Y and
/// Z swap between US and German, ':' becomes 'Ö'), and the token is then rejected as
/// "scanner misconfigured".
/// </summary>
public sealed partial class KeyboardLayout
{
    private readonly Dictionary<ushort, KeyCharacters> _keys;
    private readonly Dictionary<char, (ushort Code, KeyModifier Modifier)> _reverse = [];

    private KeyboardLayout(string name, Dictionary<ushort, KeyCharacters> keys)
    {
        Name = name;
        _keys = keys;
        // Lower codes first, so a character on both the main block and the keypad maps to the main block.
        foreach ((ushort code, KeyCharacters characters) in keys.OrderBy(key => key.Key))
        {
            _reverse.TryAdd(characters.Normal, (code, KeyModifier.None));
            _reverse.TryAdd(characters.Shifted, (code, KeyModifier.Shift));
            if (characters.AltGraph != '\0')
            {
                _reverse.TryAdd(characters.AltGraph, (code, KeyModifier.AltGraph));
            }
        }
    }

    /// <summary>Layout name as in the configuration: "us" or "de".</summary>
    public string Name { get; }

    /// <summary>Returns the layout named <paramref name="name"/> ("us" or "de"), or throws naming the value.</summary>
    public static KeyboardLayout FromName(string name) => name?.ToUpperInvariant() switch
    {
        "US" => Us,
        "DE" => German,
        _ => throw new ArgumentException($"Keyboard layout '{name}' is not supported: use us or de.", nameof(name)),
    };

    /// <summary>
    /// Returns the character of key <paramref name="code"/> with the given modifiers, or false
    /// for keys that type nothing in this layout (function keys, dead keys, unknown codes).
    /// </summary>
    public bool TryGetCharacter(ushort code, KeyModifier modifier, out char character)
    {
        character = '\0';
        if (!_keys.TryGetValue(code, out KeyCharacters characters))
        {
            return false;
        }

        character = modifier switch
        {
            KeyModifier.Shift => characters.Shifted,
            KeyModifier.AltGraph => characters.AltGraph,
            _ => characters.Normal,
        };
        return character != '\0';
    }

    /// <summary>Finds the key and modifier that type <paramref name="character"/> in this layout.</summary>
    public bool TryGetKey(char character, out ushort code, out KeyModifier modifier)
    {
        bool found = _reverse.TryGetValue(character, out (ushort Code, KeyModifier Modifier) key);
        code = key.Code;
        modifier = key.Modifier;
        return found;
    }

    private readonly record struct KeyCharacters(char Normal, char Shifted, char AltGraph = '\0');
}
