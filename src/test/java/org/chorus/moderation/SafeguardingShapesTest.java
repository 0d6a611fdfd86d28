package org.chorus.moderation;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shapes the shipped rules learnt in round 7, each beside a look-alike that must keep its own outcome: passive
 * suicidal wishes, sextortion told as a condition, photos or love called a secret, threats that silence the child, hidden
 * marks, fear since an adult moved in, "is it allowed that…", street work with the money taken, papers kept by an
 * employer, gifts for pictures, goodbye letters, exclusion and group hate, laughter and wifi around harm words, resolved
 * harm, and spelled-out e-mail dots. The lines were written for the round, not taken from a labelled set, so a rule
 * edit that breaks a shape fails here even if the sets do not notice.
 */
class SafeguardingShapesTest {
  static SafeguardingFilter filter;

  @BeforeAll
  static void load() {
    filter = SafeguardingFilter.load(Path.of("moderation-rules"));
  }

  static Stream<Arguments> lines() {
    return Stream.of(
        Arguments.of("alert", "en", "GB", "honestly it would be better if i never woke up tomorrow or ever"),
        Arguments.of("alert", "fr", "FR", "parfois j'ai envie de ne plus jamais me réveiller"),
        Arguments.of("alert", "es", "MX", "pienso que estaría mejor si no despertara nunca"),
        Arguments.of("alert", "ru", "RU", "хочется просто не проснуться завтра и всё"),
        Arguments.of("alert", "zh", "CN", "真希望我能消失，再也不用醒来"),
        Arguments.of("alert", "sw", "KE", "natamani nisiamke kesho kabisa"),
        Arguments.of("allow", "en", "US", "better not wake up the baby, she just fell asleep"),
        Arguments.of("allow", "es", "ES", "mejor no despertar a mi hermano que tiene examen mañana"),
        Arguments.of("alert", "en", "GB", "he said if i dont send another video he will share the old ones with everyone"),
        Arguments.of("alert", "zh", "CN", "他说我要是不给他发视频就把照片发到网上"),
        Arguments.of("allow", "en", "US", "if i dont post every day i lose my streak lol"),
        Arguments.of("alert", "en", "GB", "a 25 year old from fortnite keeps asking for pictures of me and says its our secret"),
        Arguments.of("alert", "zh", "CN", "一个大叔老是要我的照片，还说是我们的秘密"),
        Arguments.of("hold", "en", "GB", "people like you should go back to your own country, nobody wants you here"),
        Arguments.of("allow", "en", "GB", "refugees should be able to go back to their country safely when the war ends"),
        Arguments.of("hold", "ar", "EG", "ارجع بلدك محدش عايزك هنا"),
        Arguments.of("hold", "zh", "CN", "滚回你老家去，没人欢迎你"),
        Arguments.of("alert", "pt", "PT", "os rapazes da escola batem-me todos os dias"),
        Arguments.of("alert", "fr", "FR", "mon oncle m'a encore mis une gifle ce matin"),
        Arguments.of("allow", "fr", "FR", "il m'a mis une claque au ping-pong"),
        Arguments.of("allow", "pt", "BR", "a escola me mata de tanto dever kkk"),
        Arguments.of("allow", "en", "GB", "this stupid app keeps kicking me out of the call"),
        Arguments.of("allow", "zh", "CN", "这个app老是把我踢出去"),
        Arguments.of("allow", "es", "MX", "cuando era chica mi padrastro nos pegaba pero se fue hace tiempo y ahora estamos tranquilos"),
        Arguments.of("allow", "ru", "RU", "раньше отец бил меня, но его посадили и сейчас всё норм"),
        Arguments.of("allow", "pt", "BR", "minha mãe vai me matar se eu tirar nota baixa kkk"),
        Arguments.of("alert", "es", "MX", "dice que me va a matar si le cuento a alguien"),
        Arguments.of("hold", "ar", "IQ", "دزيلي صورتك محد راح يعرف"),
        Arguments.of("allow", "en", "GB", "we can skip the quiz, no one will know haha"),
        Arguments.of("alert", "en", "GB", "my family are arranging my marriage this summer and im only 14"),
        Arguments.of("allow", "en", "GB", "in the future i want my marriage to be equal"),
        Arguments.of("hold", "ar", "EG", "انتي رخمة وغبية ومحدش بيحبك في الفصل"),
        Arguments.of("alert", "es", "AR", "mi mamá me deja solo todo el finde sin comida"),
        Arguments.of("hold", "zh", "HK", "放學唔好走，我打到你喊"),
        Arguments.of("hold", "pt", "BR", "os gringos são todos uns ladrões, deviam ser expulsos"),
        Arguments.of("allow", "en", "GB", "the toilets at school are all dirty and the teachers do nothing"),
        Arguments.of("alert", "ru", "RU", "скинь фото в трусах, никто не узнает"),
        Arguments.of("allow", "en", "GB", "send me the link to the shop with the cute underwear"),
        Arguments.of("redact", "sw", "KE", "email yangu ni neema nukta wanjiru at gmail nukta com"),
        Arguments.of("allow", "en", "GB", "my mum will kill me if i tell her i lost my phone again"),
        Arguments.of("allow", "ru", "RU", "если я не сдам проект, учитель выложит оценки в чат"),
        Arguments.of("allow", "en", "GB", "send me the homework pls, no one will know i forgot"),
        Arguments.of("allow", "en", "GB", "when people tell refugees to go back to their country and that nobody wants them, it hurts them a lot"),
        Arguments.of("allow", "zh", "CN", "希望这次考试消失就好了哈哈"),
        Arguments.of("allow", "ru", "RU", "ахаха брат опять меня обыграл в шахматы"),
        Arguments.of("alert", "en", "GB", "i wear long sleeves even in summer so no one sees the marks"),
        Arguments.of("alert", "ru", "RU", "ношу длинные рукава чтобы никто не видел синяки"),
        Arguments.of("alert", "zh", "CN", "我天天穿长袖，不想让别人看到手臂上的伤痕"),
        Arguments.of("allow", "pt", "BR", "a atriz usou manga comprida pra esconder a tatuagem no filme"),
        Arguments.of("alert", "en", "GB", "ever since my moms boyfriend moved in i cant sleep at night and im scared all the time"),
        Arguments.of("allow", "es", "MX", "desde que mi abuela vive con nosotros como mejor"),
        Arguments.of("alert", "fr", "FR", "est-ce qu'un adulte a le droit de me toucher comme ça ?"),
        Arguments.of("allow", "fr", "FR", "est-ce normal que mon chien dorme dans mon lit ?"),
        Arguments.of("alert", "en", "NG", "i sell water on the road for my aunt every day and she takes all the money and doesnt let me go to school"),
        Arguments.of("alert", "zh", "CN", "我每天帮叔叔在街上卖东西，钱都被他拿走，我已经不上学了"),
        Arguments.of("allow", "fr", "FR", "ma tante vend des beignets au marché le samedi, ils sont trop bons"),
        Arguments.of("alert", "fr", "BE", "il a 25 ans et il dit qu'il m'aime mais que je dois rien dire à mes parents"),
        Arguments.of("alert", "zh", "SG", "他25岁了，说爱我，但是不准我告诉爸妈"),
        Arguments.of("allow", "en", "GB", "my boyfriend says he loves me but i cant tell my parents cos theyre strict"),
        Arguments.of("alert", "en", "AU", "they film me in the toilets and post it in the group chat every day"),
        Arguments.of("allow", "fr", "FR", "je vends mes vieux jeux et ma mère garde tout l'argent pour les courses mdr"),
        Arguments.of("allow", "zh", "CN", "在我们国家，很多孩子被迫去打工，不能上学。"),
        Arguments.of("alert", "es", "MX", "ya no le veo sentido a nada, escribí cartas de despedida"),
        Arguments.of("allow", "fr", "FR", "j'ai écrit des lettres d'adieu pour le prof qui part à la retraite"),
        Arguments.of("alert", "ar", "EG", "جوز أمي بيخليني ألمسه لما ماما بتكون في الشغل"),
        Arguments.of("alert", "pt", "BR", "um homem do jogo me dá skins e agora quer fotos em troca"),
        Arguments.of("allow", "es", "MX", "mi abuela me manda recargas cada mes y me pide fotos del perro"),
        Arguments.of("alert", "zh", "CN", "我打工的那家老板娘拿走了我的护照，说我欠她机票钱"),
        Arguments.of("allow", "en", "GB", "my aunt keeps my passport safe in her drawer for the holiday"),
        Arguments.of("alert", "fr", "FR", "ma mère me répète que je suis sa plus grande erreur"),
        Arguments.of("allow", "fr", "FR", "beaucoup d'enfants cachent leurs bleus avec des manches longues, les profs devraient le remarquer"),
        Arguments.of("allow", "en", "GB", "groomers often send gift cards and then ask for pics in return, we learned that at school"),
        Arguments.of("allow", "en", "GB", "is it normal that my teacher touches my shoulder to say well done?"),
        Arguments.of("allow", "en", "GB", "if i dont finish my essay my sister will post the funny video of me lol"));
  }

  @ParameterizedTest(name = "{0} {1}: {3}")
  @MethodSource("lines")
  void eachShapeAndItsLookAlike(String expected, String lang, String country, String text) {
    Verdict v = filter.check(text, lang, country);
    assertEquals(expected, v.outcome(), () -> text + " → " + v.findings().stream().map(Finding::ruleId).distinct().toList());
  }
}
