namespace ImageApi.Distributed.Tests;

/// <summary>Which stages run at once in the distributed pipeline, and how their answers join (hand-checked cases).</summary>
public sealed class StageWavesTests
{
    private const string Fitter = ServiceNames.FaceDetectorFaceFitter, Gender = ServiceNames.GenderEstimator, Age = ServiceNames.AgeEstimator,
        Emotion = ServiceNames.EmotionEstimator, Mask = ServiceNames.MaskEstimator, Liveness = ServiceNames.LivenessEstimator,
        Quality = ServiceNames.QualityAssessmentEstimator, Template = ServiceNames.TemplateExtractor;

    [Fact]
    public void Of_FullPipeline_EstimatorsTogether_QualityAfterEmotionAndMask()
    {
        var waves = StageWaves.Of([Fitter, Gender, Age, Emotion, Mask, Liveness, Quality, Template]);

        Assert.Equal(["fitter", "gender age emotion mask liveness", "quality template"], waves.Select(Names));
    }

    [Fact]
    public void Of_TemplatesThenIdentification_InOrder()
    {
        var waves = StageWaves.Of([Fitter, Template, ServiceNames.FaceIdentifier]);

        Assert.Equal(3, waves.Count);
    }

    [Fact]
    public void Of_SameServiceTwiceOrAfterADetector_NotTogether()
    {
        Assert.Equal(2, StageWaves.Of([Age, Age]).Count);
        Assert.Equal(3, StageWaves.Of([Age, ServiceNames.BodyDetector, Gender]).Count);
        Assert.Single(StageWaves.Of([Quality, Emotion, Mask])); // quality first: it computes its own, nothing to wait for
    }

    [Fact]
    public void Merge_FieldsInTheWavesOrder_ChangedFieldKeepsItsPlace_HandOffJoined()
    {
        var input = JsonNode.Parse("""
            {"a":1,"objects":[{"class":"face","bbox":[1],"age":7},{"class":"body"}],
             "_imageapi_face_results":[{"family":"pose","box":[1,2,3,4],"pose":[1,2,3]}]}
            """)!.AsObject();
        var gender = JsonNode.Parse("""
            {"a":1,"objects":[{"class":"face","gender":"male","bbox":[1],"age":7},{"class":"body"}],
             "_imageapi_face_results":[{"family":"pose","box":[1,2,3,4],"pose":[1,2,3]}]}
            """)!.AsObject();
        var age = JsonNode.Parse("""
            {"a":1,"objects":[{"class":"face","bbox":[1],"age":31},{"class":"body"}],"z":true,
             "_imageapi_face_results":[{"family":"mask","box":[1,2,3,4],"value":0.25},{"family":"pose","box":[1,2,3,4],"pose":[1,2,3]}]}
            """)!.AsObject();

        var merged = StageWaves.Merge(input, [(Gender, gender), (Age, age)]);

        Assert.Equal(
            """{"a":1,"objects":[{"class":"face","gender":"male","bbox":[1],"age":31},{"class":"body"}],"z":true,"_imageapi_face_results":""" +
            """[{"family":"mask","box":[1,2,3,4],"value":0.25},{"family":"pose","box":[1,2,3,4],"pose":[1,2,3]}]}""",
            merged.ToJsonString());
        Assert.Equal(7, (int)input["objects"]![0]!["age"]!); // the input is left as it was
    }

    [Fact]
    public void Merge_NewFieldsGoWhereEachStagePutThem_AsInASequentialRun()
    {
        // Estimators insert before bbox, liveness appends: gender, age, then liveness at the end.
        var input = JsonNode.Parse("""{"objects":[{"id":0,"class":"face","bbox":[1],"pose":{}}]}""")!.AsObject();
        var gender = JsonNode.Parse("""{"objects":[{"id":0,"class":"face","gender":"male","bbox":[1],"pose":{}}]}""")!.AsObject();
        var liveness = JsonNode.Parse("""{"objects":[{"id":0,"class":"face","bbox":[1],"pose":{},"liveness":{"value":"real"}}]}""")!.AsObject();
        var age = JsonNode.Parse("""{"objects":[{"id":0,"class":"face","age":31,"bbox":[1],"pose":{}}]}""")!.AsObject();

        var merged = StageWaves.Merge(input, [(Gender, gender), (Liveness, liveness), (Age, age)]);

        Assert.Equal("""{"objects":[{"id":0,"class":"face","gender":"male","age":31,"bbox":[1],"pose":{},"liveness":{"value":"real"}}]}""",
            merged.ToJsonString());
    }

    [Fact]
    public void Merge_AStageChangedTheNumberOfObjects_Throws()
    {
        var input = JsonNode.Parse("""{"objects":[{"class":"face"}]}""")!.AsObject();
        var answer = JsonNode.Parse("""{"objects":[{"class":"face"},{"class":"face"}]}""")!.AsObject();

        Assert.Throws<InvalidOperationException>(() => StageWaves.Merge(input, [(Age, answer)]));
    }

    private static string Names(List<string> wave) => string.Join(' ', wave.Select(s => s switch
    {
        Fitter => "fitter", Gender => "gender", Age => "age", Emotion => "emotion", Mask => "mask", Liveness => "liveness",
        Quality => "quality", Template => "template", _ => s,
    }));
}
