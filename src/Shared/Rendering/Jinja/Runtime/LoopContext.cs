using System.Text;
using Orchestrator.Shared.Rendering.Jinja.Ast;

namespace Orchestrator.Shared.Rendering.Jinja.Runtime;

/// <summary>The <c>loop</c> variable of a for loop; callable for <c>recursive</c> loops.</summary>
internal sealed class LoopContext : ICallableValue
{
    private readonly List<object?> _items;
    private readonly ForStmt? _recursive;
    private readonly Scope _outer;
    private object? _lastChanged = _sentinel;
    private static readonly object _sentinel = new();

    public LoopContext(List<object?> items, int depth0, ForStmt? recursive, Scope outer)
    {
        _items = items;
        Depth0 = depth0;
        _recursive = recursive;
        _outer = outer;
    }

    public int Index0 { get; set; }

    public int Index => Index0 + 1;

    public int Length => _items.Count;

    public int Depth0 { get; }

    public bool TryGetAttribute(string name, out object? value)
    {
        value = name switch
        {
            "index" => (long)(Index0 + 1),
            "index0" => (long)Index0,
            "revindex" => (long)(_items.Count - Index0),
            "revindex0" => (long)(_items.Count - Index0 - 1),
            "first" => Index0 == 0,
            "last" => Index0 == _items.Count - 1,
            "length" => (long)_items.Count,
            "depth" => (long)(Depth0 + 1),
            "depth0" => (long)Depth0,
            "previtem" => Index0 > 0 ? _items[Index0 - 1] : new Undefined("previtem", "there is no previous item"),
            "nextitem" => Index0 + 1 < _items.Count ? _items[Index0 + 1] : new Undefined("nextitem", "there is no next item"),
            "cycle" => new BoundMethod("cycle", this, (st, args, kw) =>
            {
                if (args.Count == 0)
                {
                    throw new JinjaException(JinjaErrorKind.Runtime, "no items for cycling given");
                }
                return args[Index0 % args.Count];
            }),
            "changed" => new BoundMethod("changed", this, (st, args, kw) =>
            {
                var current = new PyTuple(args.ToArray());
                if (_lastChanged is PyTuple last && Py.Eq(st, last, current))
                {
                    return false;
                }
                _lastChanged = current;
                return true;
            }),
            _ => _sentinel,
        };
        if (ReferenceEquals(value, _sentinel))
        {
            value = null;
            return false;
        }
        return true;
    }

    public object? Call(RenderState st, List<object?> args, Dictionary<string, object?> kwargs)
    {
        if (_recursive is null)
        {
            throw new JinjaException(JinjaErrorKind.Runtime, "The loop must have the 'recursive' marker to be called recursively.");
        }
        if (args.Count != 1)
        {
            throw new JinjaException(JinjaErrorKind.Runtime, "loop() takes exactly one argument");
        }
        var sb = new StringBuilder();
        _recursive.Run(st, _outer, args[0], Depth0 + 1, sb);
        return sb.ToString();
    }
}
