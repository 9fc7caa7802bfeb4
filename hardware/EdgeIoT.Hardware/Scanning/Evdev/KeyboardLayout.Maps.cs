namespace EdgeIoT.Hardware;

public sealed partial class KeyboardLayout
{
    /// <summary>US English (xkb "us").</summary>
    public static KeyboardLayout Us { get; } = new("us", CreateUs());

    /// <summary>German (xkb "de", no dead keys typed: ^ and ´ type nothing).</summary>
    public static KeyboardLayout German { get; } = new("de", CreateGerman());

    private static Dictionary<ushort, KeyCharacters> CreateUs()
    {
        var keys = Common();
        AddRow(keys, 2, "1234567890", "!@#$%^&*()");
        keys[12] = new('-', '_');
        keys[13] = new('=', '+');
        AddLetters(keys, 16, "qwertyuiop");
        keys[26] = new('[', '{');
        keys[27] = new(']', '}');
        keys[39] = new(';', ':');
        keys[40] = new('\'', '"');
        keys[41] = new('`', '~');
        keys[43] = new('\\', '|');
        AddLetters(keys, 44, "zxcvbnm");
        keys[51] = new(',', '<');
        keys[52] = new('.', '>');
        keys[53] = new('/', '?');
        return keys;
    }

    private static Dictionary<ushort, KeyCharacters> CreateGerman()
    {
        var keys = Common();
        AddRow(keys, 2, "1234567890", "!\"§$%&/()=");
        keys[3] = new('2', '"', '²');
        keys[8] = new('7', '/', '{');
        keys[9] = new('8', '(', '[');
        keys[10] = new('9', ')', ']');
        keys[11] = new('0', '=', '}');
        keys[12] = new('ß', '?', '\\');
        AddLetters(keys, 16, "qwertzuiop");
        keys[16] = new('q', 'Q', '@');
        keys[18] = new('e', 'E', '€');
        keys[26] = new('ü', 'Ü');
        keys[27] = new('+', '*', '~');
        keys[39] = new('ö', 'Ö');
        keys[40] = new('ä', 'Ä');
        keys[43] = new('#', '\'');
        AddLetters(keys, 44, "yxcvbnm");
        keys[51] = new(',', ';');
        keys[52] = new('.', ':');
        keys[53] = new('-', '_');
        keys[86] = new('<', '>', '|');
        return keys;
    }

    // Keys that type the same in both layouts: the letters a to l on the home row, space and
    // the keypad with num lock on, which scanners use for digits in some modes.
    private static Dictionary<ushort, KeyCharacters> Common()
    {
        var keys = new Dictionary<ushort, KeyCharacters>();
        AddLetters(keys, 30, "asdfghjkl");
        keys[57] = new(' ', ' ');
        keys[55] = new('*', '*');
        keys[74] = new('-', '-');
        keys[78] = new('+', '+');
        keys[83] = new('.', '.');
        keys[98] = new('/', '/');
        AddRow(keys, 71, "789", "789");
        AddRow(keys, 75, "456", "456");
        AddRow(keys, 79, "123", "123");
        keys[82] = new('0', '0');
        return keys;
    }

    private static void AddLetters(Dictionary<ushort, KeyCharacters> keys, ushort firstCode, string letters)
    {
        for (int i = 0; i < letters.Length; i++)
        {
            keys[(ushort)(firstCode + i)] = new(letters[i], char.ToUpperInvariant(letters[i]));
        }
    }

    private static void AddRow(Dictionary<ushort, KeyCharacters> keys, ushort firstCode, string normal, string shifted)
    {
        for (int i = 0; i < normal.Length; i++)
        {
            keys[(ushort)(firstCode + i)] = new(normal[i], shifted[i]);
        }
    }
}
