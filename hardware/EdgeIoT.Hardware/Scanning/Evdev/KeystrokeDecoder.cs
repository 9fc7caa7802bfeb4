using System.Text;

namespace EdgeIoT.Hardware;

/// <summary>
/// Turns key events from a keyboard-mode scanner into lines. It tracks shift, AltGr and caps
/// lock, and Enter (main or keypad) ends a line. A key the layout cannot type adds U+FFFD, so
/// the line is rejected as "scanner misconfigured" instead of losing a character silently.
/// Lines above <see cref="MaxLineLength"/> characters are dropped and reported as oversize.
/// </summary>
public sealed class KeystrokeDecoder
{
    public const int MaxLineLength = LineFramer.DefaultMaxLineLength;
    public const char UnmappedKey = '\uFFFD';

    private readonly KeyboardLayout _layout;
    private readonly StringBuilder _line = new(256);
    private bool _leftShift;
    private bool _rightShift;
    private bool _altGraph;
    private bool _capsLock;
    private bool _oversize;
    private int _oversizeLength;
    private long _lineStartTicks;

    public KeystrokeDecoder(KeyboardLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);

        _layout = layout;
    }

    /// <summary>
    /// Feeds one event that arrived at <paramref name="timestampTicks"/>. Returns a frame when
    /// the event was an Enter press that ended a non-empty line.
    /// </summary>
    public LineFrame? Append(InputEvent inputEvent, long timestampTicks)
    {
        if (inputEvent.Type != InputEvent.KeyType)
        {
            return null;
        }

        if (TrackModifier(inputEvent))
        {
            return null;
        }

        if (inputEvent.Value != InputEvent.Pressed)
        {
            return null;
        }

        if (inputEvent.Code is KeyCodes.Enter or KeyCodes.KeypadEnter)
        {
            return EndLine();
        }

        AppendCharacter(Type(inputEvent.Code), timestampTicks);
        return null;
    }

    /// <summary>Drops a partial line and the modifier state, for example after the device was reopened.</summary>
    public void Reset()
    {
        _line.Clear();
        _leftShift = _rightShift = _altGraph = _capsLock = _oversize = false;
        _oversizeLength = 0;
    }

    private bool TrackModifier(InputEvent inputEvent)
    {
        bool down = inputEvent.Value != InputEvent.Released;
        switch (inputEvent.Code)
        {
            case KeyCodes.LeftShift:
                _leftShift = down;
                return true;
            case KeyCodes.RightShift:
                _rightShift = down;
                return true;
            case KeyCodes.RightAlt:
                _altGraph = down;
                return true;
            case KeyCodes.CapsLock:
                _capsLock ^= inputEvent.Value == InputEvent.Pressed;
                return true;
            default:
                return false;
        }
    }

    private char Type(ushort code)
    {
        KeyModifier modifier = KeyModifier.None;
        if (_altGraph)
        {
            modifier = KeyModifier.AltGraph;
        }
        else if (_leftShift || _rightShift)
        {
            modifier = KeyModifier.Shift;
        }

        if (!_layout.TryGetCharacter(code, modifier, out char character))
        {
            return UnmappedKey;
        }

        // Caps lock inverts the case of letters only, as on a PC keyboard.
        if (_capsLock && char.IsLetter(character) && modifier != KeyModifier.AltGraph)
        {
            character = char.IsUpper(character) ? char.ToLowerInvariant(character) : char.ToUpperInvariant(character);
        }

        return character;
    }

    private void AppendCharacter(char character, long timestampTicks)
    {
        if (_oversize)
        {
            _oversizeLength++;
            return;
        }

        if (_line.Length == 0)
        {
            _lineStartTicks = timestampTicks;
        }

        if (_line.Length == MaxLineLength)
        {
            _oversize = true;
            _oversizeLength = _line.Length + 1;
            _line.Clear();
            return;
        }

        _line.Append(character);
    }

    private LineFrame? EndLine()
    {
        if (_oversize)
        {
            var dropped = new LineFrame(string.Empty, IsOversize: true, _oversizeLength, _lineStartTicks);
            _oversize = false;
            _oversizeLength = 0;
            return dropped;
        }

        if (_line.Length == 0)
        {
            return null;
        }

        var frame = new LineFrame(_line.ToString(), IsOversize: false, _line.Length, _lineStartTicks);
        _line.Clear();
        return frame;
    }
}
