## 1on1 の話のきっかけになる質問(マネージャー向けに提案)。en/questions.ftl と同じキーをすべて持ち、
## どれも src/domain/questions.rs の質問に対応する(テストで確認)。

## 調子はどうか
question-how-are-you = 仕事の話の前に、最近どうですか?本当のところを聞かせてください。
question-energy-lately = 最近、元気が出ることと、逆に消耗していることは何ですか?
question-week-in-a-word = 今週をひとことで表すとしたら、どんな言葉になりますか?
question-workload-pace = いまの仕事量はどう感じていますか?多すぎる、少ない、ちょうどいい、どれに近いでしょう。
question-switching-off = 仕事の外では、ちゃんと気持ちを切り替えて休めていますか?

## 何が妨げになっているか
question-slowing-you-down = いま、仕事を進めにくくしているものはありますか?
question-one-obstacle = 今週、私が障害をひとつ取り除けるとしたら、どれを選びますか?
question-waiting-on-others = 誰かの対応待ちで止まっていて、私が動けば進みそうなことはありますか?
question-unclear-priorities = 優先順位や、自分に期待されていることで、はっきりしない点はありますか?
question-process-friction = 手間のわりに得るものが少ないと感じる会議や手続き、ツールはありますか?

## 誇りに思っていること
question-proud-of = ここ2週間ほどで、自分でもよくやったと思えることは何ですか?
question-small-win = 周りは気づいていないかもしれない、最近の小さな成功を教えてください。
question-better-than-expected = 最近、思っていたよりうまくいったことはありますか?
question-helped-or-helped-by = 最近、誰かを助けたことや、誰かに助けられたことはありますか?
question-best-work = 最近いちばん力を発揮できたと感じたのはどんなときでしたか?何がよかったのでしょう。

## マネージャーに求めていること
question-need-from-me = 私からのサポートで、まだ足りていないものはありますか?
question-more-or-less-of = あなたを支えるために、私がもっと増やすべきこと、減らすべきことは何でしょう?
question-how-i-work = 私の仕事の進め方で、やりにくくしている点があれば遠慮なく教えてください。
question-where-to-help = これから数週間、私がいちばん力になれるのはどんなところでしょう?
question-feeling-heard = チームの中で、自分の意見をちゃんと聞いてもらえていると感じますか?もっとよくできるところはありますか?

## どう成長したいか
question-want-to-learn = 今年、新しく身につけたいことや伸ばしたいことはありますか?
question-stretch = 少し背伸びしてでも挑戦してみたい仕事はありますか?
question-year-from-now = 1〜2年後、どんなふうになっていたいですか?そこへ一緒にどう近づけるか考えたいです。
question-unused-strengths = あなたの強みで、まだ十分に活かせていないと感じるものはありますか?
question-feedback-wanted = 私からもっとフィードバックがほしいと思う分野はありますか?
