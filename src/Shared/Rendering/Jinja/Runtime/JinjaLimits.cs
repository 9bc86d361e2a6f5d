namespace Orchestrator.Shared.Rendering.Jinja.Runtime;

/// <summary>
/// Bounds on what a template may build, so a short template cannot make the master allocate gigabytes: Python would
/// raise MemoryError, .NET would throw OutOfMemoryException (or overflow a length) after taking the machine's memory.
/// </summary>
/// <remarks>
/// Repetition (<c>'x' * n</c>, <c>[x] * n</c>), concatenation, padding widths (<c>center</c>, <c>'%*d'</c>, <c>'{:>n}'</c>,
/// <c>indent</c>, <c>tojson(indent=n)</c>) and a render's output are checked against <see cref="MaxLength"/>, lists built by
/// repetition, concatenation or <c>slice</c> against <see cref="MaxItems"/>; <c>range</c> already stops at 100,000 items.
/// Both are far beyond any real SLS, pillar or managed file, and a pillar must fit a 16 MiB message anyway.
/// </remarks>
internal static class JinjaLimits
{
    /// <summary>Longest string (in characters) one operation may build, and longest output of one template body.</summary>
    public const int MaxLength = 32 * 1024 * 1024;

    /// <summary>Most items a list built by one operation may have (each item can be an object of its own).</summary>
    public const int MaxItems = 1_000_000;

    /// <summary>Throws when <paramref name="length"/> is past <see cref="MaxLength"/>.</summary>
    public static void Check(long length, string what)
    {
        if (length > MaxLength)
        {
            throw TooLarge(what, length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Throws when <paramref name="count"/> copies of <paramref name="unit"/> characters would pass <see cref="MaxLength"/>.</summary>
    public static void CheckRepeat(long count, long unit, string what) => CheckRepeat(count, unit, what, MaxLength);

    /// <summary>Throws when a list of <paramref name="count"/> items would pass <see cref="MaxItems"/>.</summary>
    public static void CheckItems(long count, string what)
    {
        if (count > MaxItems)
        {
            throw new JinjaException(JinjaErrorKind.Runtime, $"MemoryError: {what} would have {count} items, past the limit of {MaxItems}");
        }
    }

    /// <summary>Throws when <paramref name="count"/> copies of <paramref name="unit"/> items would pass <see cref="MaxItems"/>.</summary>
    public static void CheckRepeatedItems(long count, long unit, string what) => CheckRepeat(count, unit, what, MaxItems);

    private static void CheckRepeat(long count, long unit, string what, long limit)
    {
        if (unit > 0 && count > limit / unit)
        {
            throw new JinjaException(
                JinjaErrorKind.Runtime, $"MemoryError: {what} would be {count} x {unit} long, past the limit of {limit}");
        }
    }

    /// <summary>A padding width or precision as an int from 0 (a negative one pads nothing), refused past <see cref="MaxLength"/>.</summary>
    public static int Width(long width, string what)
    {
        Check(width, what);
        // Not clamped to int.MinValue: "width - s.Length" would wrap around to a huge padding.
        return (int)Math.Max(width, 0);
    }

    private static JinjaException TooLarge(string what, string size) =>
        new(JinjaErrorKind.Runtime, $"MemoryError: {what} would be {size} long, past the limit of {MaxLength}");
}
