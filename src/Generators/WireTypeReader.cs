using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Orchestrator.Generators;

/// <summary>
/// Reads a <c>[MessagePackObject]</c> class into a <see cref="WireType"/>: integer keys on public get/set properties, a
/// public parameterless constructor, and member types from the short list the wire uses (anything else is a build error,
/// so a new field cannot silently fall back to a formatter made at run time).
/// </summary>
internal static class WireTypeReader
{
    private const string KeyAttribute = "MessagePack.KeyAttribute";
    private const string Values = "global::Orchestrator.Shared.Protocol.WireValues";
    private const string Collections = "global::System.Collections.Generic";

    public static readonly DiagnosticDescriptor Unsupported = new(
        "ORCHGEN001",
        "Wire type not supported by the generated formatters",
        "{0}: {1}",
        "Orchestrator.Wire",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static WireTypeResult Read(INamedTypeSymbol type)
    {
        var location = type.Locations.FirstOrDefault();
        WireTypeResult Fail(string why) => WireTypeResult.Failed(Diagnostic.Create(Unsupported, location, type.Name, why));

        if (type.IsAbstract || type.IsGenericType || type.TypeKind != TypeKind.Class)
        {
            return Fail("only non-generic, non-abstract classes are supported");
        }
        if (!type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public))
        {
            return Fail("a public parameterless constructor is needed");
        }
        var members = new List<WireMember>();
        foreach (var symbol in type.GetMembers())
        {
            var key = symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KeyAttribute);
            if (key is null)
            {
                continue;
            }
            if (key.ConstructorArguments.Length != 1 || key.ConstructorArguments[0].Value is not int index || index < 0)
            {
                return Fail($"'{symbol.Name}' must have a non-negative integer key");
            }
            if (symbol is not IPropertySymbol { GetMethod.DeclaredAccessibility: Accessibility.Public } property
                || property.SetMethod is not { DeclaredAccessibility: Accessibility.Public, IsInitOnly: false })
            {
                return Fail($"'{symbol.Name}' must be a property with a public getter and setter");
            }
            if (members.Any(m => m.Key == index))
            {
                return Fail($"key {index} is used twice");
            }
            if (!TryCode(property.Type, out var write, out var read))
            {
                return Fail($"'{symbol.Name}' has type {property.Type.ToDisplayString()}, which has no generated formatter");
            }
            members.Add(new WireMember(index, property.Name, write, read));
        }
        var fullName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var formatterName = type.ToDisplayString().Replace('.', '_') + "Formatter";
        return WireTypeResult.Of(new WireType(fullName, formatterName, members.OrderBy(m => m.Key).ToList()));
    }

    private static bool TryCode(ITypeSymbol type, out string write, out string read)
    {
        write = "writer.Write({0});";
        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying })
        {
            write = $"writer.Write(({underlying.ToDisplayString()}){{0}});";
            if (!TryPrimitiveRead(underlying.SpecialType, out var underlyingRead))
            {
                read = string.Empty;
                return false;
            }
            read = $"({type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}){underlyingRead}";
            return true;
        }
        if (TryPrimitiveRead(type.SpecialType, out read))
        {
            return true;
        }
        var shape = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated)
            .ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("?", string.Empty);
        // object, a mapping of text to data, a list of data: one data tree, its shape checked when read.
        var tree = shape switch
        {
            "object" => ("object", "data"),
            Collections + ".Dictionary<string, object>" => (Collections + ".Dictionary<string, object?>", "a mapping"),
            Collections + ".List<object>" => (Collections + ".List<object?>", "a list"),
            _ => default((string Type, string Expected)?),
        };
        if (tree is var (treeType, expected))
        {
            write = "global::Orchestrator.Shared.Data.DataTreePack.Write(ref writer, {0});";
            read = $"{Values}.ReadTree<{treeType}>(ref reader, \"{expected}\")!";
            return true;
        }
        switch (shape)
        {
            case "string":
                read = "reader.ReadString()!";
                return true;
            case "byte[]":
                read = $"{Values}.ReadBytes(ref reader)!";
                return true;
            case Collections + ".List<string>":
                write = $"{Values}.WriteStrings(ref writer, {{0}});";
                read = $"{Values}.ReadStrings(ref reader)!";
                return true;
            case Collections + ".Dictionary<string, string>":
                write = $"{Values}.WriteStringMap(ref writer, {{0}});";
                read = $"{Values}.ReadStringMap(ref reader)!";
                return true;
            default:
                return false;
        }
    }

    private static bool TryPrimitiveRead(SpecialType type, out string read)
    {
        var method = type switch
        {
            SpecialType.System_Boolean => "ReadBoolean",
            SpecialType.System_Byte => "ReadByte",
            SpecialType.System_SByte => "ReadSByte",
            SpecialType.System_Int16 => "ReadInt16",
            SpecialType.System_UInt16 => "ReadUInt16",
            SpecialType.System_Int32 => "ReadInt32",
            SpecialType.System_UInt32 => "ReadUInt32",
            SpecialType.System_Int64 => "ReadInt64",
            SpecialType.System_UInt64 => "ReadUInt64",
            SpecialType.System_Single => "ReadSingle",
            SpecialType.System_Double => "ReadDouble",
            _ => null,
        };
        read = method is null ? string.Empty : $"reader.{method}()";
        return method is not null;
    }

}
