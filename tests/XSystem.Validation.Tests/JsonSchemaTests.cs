using System.Text.Json.Nodes;

namespace XSystem.Validation.Tests;

public sealed class JsonSchemaTests
{
    [Fact]
    public void ModelJsonSchema_User_HasTypesConstraintsRequiredAndDefs()
    {
        var s = User.ModelJsonSchema();

        s["$schema"]!.GetValue<string>().ShouldBe("https://json-schema.org/draft/2020-12/schema");
        s["type"]!.GetValue<string>().ShouldBe("object");
        s["title"]!.GetValue<string>().ShouldBe("User");
        s["required"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["name", "age"]);
        var props = s["properties"]!.AsObject();
        props["name"]!.ToJsonString().ShouldBe("""{"type":"string"}""");
        props["age"]!.ToJsonString().ShouldBe("""{"type":"integer","minimum":0,"maximum":150}""");
        props["email"]!["pattern"]!.GetValue<string>().ShouldBe(@"^[^@]+@[^@]+\.[^@]+$");
        props["email"]!["default"]!.GetValue<string>().ShouldBe("");
        props["address"]!.ToJsonString().ShouldBe("""{"anyOf":[{"$ref":"#/$defs/Address"},{"type":"null"}]}""");
        props["tags"]!.ToJsonString().ShouldBe("""{"type":"array","items":{"type":"string"},"default":[]}""");
        var address = s["$defs"]!["Address"]!;
        address["required"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["street"]);
        address["properties"]!["zip"]!["description"]!.GetValue<string>().ShouldBe("Five-digit postal code");
        address["properties"]!["city"]!["type"]!.ToJsonString().ShouldBe("""["string","null"]""");
        s.ContainsKey("additionalProperties").ShouldBeFalse();
    }

    [Fact]
    public void ModelJsonSchema_Scalars_MapsFormatsEnumsAndNullability()
    {
        var p = Scalars.ModelJsonSchema()["properties"]!.AsObject();

        p["when"]!["format"]!.GetValue<string>().ShouldBe("date-time");
        p["at"]!["format"]!.GetValue<string>().ShouldBe("date-time");
        p["day"]!["format"]!.GetValue<string>().ShouldBe("date");
        p["clock"]!["format"]!.GetValue<string>().ShouldBe("time");
        p["span"]!["format"]!.GetValue<string>().ShouldBe("duration");
        p["id"]!["format"]!.GetValue<string>().ShouldBe("uuid");
        p["link"]!["format"]!.GetValue<string>().ShouldBe("uri");
        p["color"]!.ToJsonString().ShouldBe("""{"type":["string","null"],"enum":["Red","Green","Blue",null]}""");
        p["i"]!["type"]!.ToJsonString().ShouldBe("""["integer","null"]""");
        p["b"]!["minimum"]!.GetValue<long>().ShouldBe(0);
        p["b"]!["maximum"]!.GetValue<long>().ShouldBe(255);
        p["m"]!["type"]!.ToJsonString().ShouldBe("""["number","null"]""");
    }

    [Fact]
    public void ModelJsonSchema_Constraints_AllKeywords()
    {
        var p = Constrained.ModelJsonSchema()["properties"]!.AsObject();

        p["b"]!["exclusiveMinimum"]!.GetValue<long>().ShouldBe(0);
        p["b"]!["exclusiveMaximum"]!.GetValue<long>().ShouldBe(1);
        p["c"]!["multipleOf"]!.GetValue<long>().ShouldBe(5);
        p["s"]!["minLength"]!.GetValue<int>().ShouldBe(2);
        p["s"]!["maxLength"]!.GetValue<int>().ShouldBe(4);
        p["items"]!["minItems"]!.GetValue<int>().ShouldBe(1);
        p["items"]!["maxItems"]!.GetValue<int>().ShouldBe(2);
        p["half"]!["multipleOf"]!.GetValue<double>().ShouldBe(0.5);
    }

    [Fact]
    public void ModelJsonSchema_DataAnnotations_AreReflected()
    {
        var s = Annotated.ModelJsonSchema();
        var p = s["properties"]!.AsObject();

        p["r"]!["minimum"]!.GetValue<long>().ShouldBe(1);
        p["r"]!["maximum"]!.GetValue<long>().ShouldBe(5);
        p["re"]!["pattern"]!.GetValue<string>().ShouldBe("^(?:[a-z]+)$");
        p["email"]!["format"]!.GetValue<string>().ShouldBe("email");
        p["url"]!["format"]!.GetValue<string>().ShouldBe("uri");
        p["req"]!["minLength"]!.GetValue<int>().ShouldBe(1);
        s["required"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["req"]);
    }

    [Fact]
    public void ModelJsonSchema_CyclicModel_UsesRootReference()
    {
        var s = Node.ModelJsonSchema();

        s["properties"]!["children"]!["items"]!["$ref"]!.GetValue<string>().ShouldBe("#");
        s["properties"]!["next"]!["anyOf"]![0]!["$ref"]!.GetValue<string>().ShouldBe("#");
        s.ContainsKey("$defs").ShouldBeFalse();
    }

    [Fact]
    public void ModelJsonSchema_ExtraPolicies_SetAdditionalProperties()
    {
        Closed.ModelJsonSchema()["additionalProperties"]!.GetValue<bool>().ShouldBeFalse();
        Open.ModelJsonSchema().ContainsKey("additionalProperties").ShouldBeFalse();
    }

    [Fact]
    public void ModelJsonSchema_AliasAndDefault_AppearInSchema()
    {
        var s = RequiredRules.ModelJsonSchema();
        var p = s["properties"]!.AsObject();

        p.ContainsKey("full_name").ShouldBeTrue();
        p["defaulted"]!["default"]!.GetValue<long>().ShouldBe(7);
        p["withInit"]!["default"]!.GetValue<long>().ShouldBe(5);
        s["required"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["noInit", "str"]);
    }

    [Fact]
    public void ModelJsonSchema_Record_RequiresConstructorParametersWithoutDefaults()
    {
        var s = ModelValidator.JsonSchema<Segment>();

        s["required"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["from", "to"]);
        s["properties"]!["weight"]!["minimum"]!.GetValue<long>().ShouldBe(0);
        s["$defs"]!["Point"]!["properties"]!["label"]!["default"]!.GetValue<string>().ShouldBe("p");
    }

    [Fact]
    public void ModelJsonSchema_ReturnsIndependentCopies()
    {
        var a = User.ModelJsonSchema();
        a["title"] = "changed";

        User.ModelJsonSchema()["title"]!.GetValue<string>().ShouldBe("User");
    }

    [Fact]
    public void JsonSchema_NotAModel_ThrowsArgumentException()
    {
        var notAModel = typeof(string);
        Should.Throw<ArgumentException>(() => ModelValidator.JsonSchema(notAModel));
    }

    [Fact]
    public void ModelJsonSchema_Examples_AreCopied()
    {
        var s = WithExamples.ModelJsonSchema();

        s["properties"]!["level"]!["examples"]!.ToJsonString().ShouldBe("[1,2]");
    }
}

public sealed class WithExamples : XModel<WithExamples>
{
    [Field(Examples = [1, 2], Description = "Level")]
    public int Level { get; init; } = 1;
}
