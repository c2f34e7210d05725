## /ask: ヘルプ依頼。en/ask.ftl と同じキー（テストで確認）。

help-ask-intro = 困ったら早めに聞くのが、いいチームのやり方です。質問は喜んで手伝う人がいるチャンネルに投稿され、必ず誰かが答えるよう otagai が見守ります。
help-ask-anon = `anon` を付けると投稿にあなたの名前は出ません。回答があればお知らせは届きます。リアクションは付けた人が見えるので、解決時は ✅ ではなく「解決しました」ボタンを使ってください。

## Asking
ask-posting = 質問ありがとうございます！{ $channel } に投稿しています。リンクはすぐにお送りします。
ask-posting-anon = 質問ありがとうございます！{ $channel } に匿名で投稿しています。あなたの名前は誰にも表示されません。リンクはすぐにお送りします。
ask-posted = { $channel } に質問を投稿しました：<{ $link }|投稿を開く>。誰かが担当したり回答したりしたらお知らせします。
ask-not-posted = { $channel } に質問を投稿できませんでした。ボットがチャンネルに参加していない可能性があります。管理者に招待を依頼してから、もう一度質問してください。
ask-anon-off = ここでは匿名の質問はオフになっています。名前付きで聞いてみてください。みんな喜んで手伝います。
ask-too-long = 質問が { $got } 文字あります。1 つの投稿で表示できるのは { $max } 文字までです。短くして、詳細はスレッドに書いてください。
ask-no-channel = ヘルプ用のチャンネルがまだ設定されていないため、質問を投稿できません。管理者に `ask.channel` の設定を依頼してください。
ask-unknown-topic = `#{ $topic }` というトピックはありません。トピック：{ $topics }。トピックなしで聞くこともできます。
ask-unknown-topic-none = `#{ $topic }` というトピックはありません（トピックは未設定です）。トピックなしで聞いてください。例：`{ $cmd-ask } 〜はどうすればいいですか？`
ask-topics-none = トピックは設定されていません。質問はすべて { $channel } に投稿されます。
ask-topics-header = 質問できるトピック：
ask-topics-line = • `#{ $topic }` → { $channel }{ $experts ->
    [0] {""}
   *[other] 、詳しい人 { $experts } 人
}

## The post in the help channel
ask-post-header = *{ $asker } さんからの質問*{ $topic }
ask-post-header-anon = *匿名の質問*{ $topic }
ask-status-open = :large_green_circle: 受付中：まだ担当者がいません。「対応します」を押すか :eyes: でリアクションしてください。
ask-status-claimed = :eyes: { $people } が対応中です。
ask-status-answered = :speech_balloon: { $people } が回答しました。質問者の確認待ちです。
ask-status-resolved = :white_check_mark: 解決しました。協力：{ $people }
ask-status-resolved-alone = :white_check_mark: 解決しました。
ask-button-claim = 対応します
ask-button-resolve = 解決しました
ask-state-open = 受付中
ask-state-claimed = 対応中
ask-state-answered = 回答あり
ask-state-resolved = 解決済み

## Answers to the person who pressed a button
ask-you-claimed = 対応ありがとうございます！スレッドで回答してください。質問者にはお知らせします。
ask-you-resolved = 解決済みにしました。解決してよかったです！
ask-you-noted = 承知しました。
ask-refuse-own = ご自身の質問です。ほかの人が対応します。
ask-refuse-claimed-twice = この質問はすでに担当しています。
ask-refuse-not-asker = 解決済みにできるのは質問した本人だけです。
ask-refuse-resolved = この質問はすでに解決済みです。
ask-refuse-gone = その質問が見つかりません。

## DMs to the asker
ask-dm-claimed = { $by } さんが<{ $link }|あなたの質問>を見てくれています。
ask-dm-claimed-anon = { $by } さんが<{ $link }|あなたの匿名の質問>を見てくれています。スレッドに返信すると名前が表示されるのでご注意ください。
ask-dm-replied-anon = { $by } さんが<{ $link }|あなたの匿名の質問>に回答しました。スレッドを確認して、解決したら投稿の「解決しました」を押してください（✅ リアクションは名前が表示されるため、匿名の質問では使えません）。
ask-dm-replied = { $by } さんが<{ $link }|あなたの質問>に回答しました。スレッドを確認して、解決したら「解決しました」を押すか ✅ でリアクションしてください。
ask-dm-resolved = 質問「{ $excerpt }」が解決しました。{ $people } が手伝ってくれました。具体的なお礼を伝えると喜ばれます。
ask-button-thank = お礼を伝える

## /ask mine
ask-mine-none = 未解決の質問はありません。
ask-mine-header = 未解決の質問（{ $n } 件）：
ask-mine-line = • { $link }：{ $state }、{ $asked } に質問{ $anon ->
    [yes] （匿名）
   *[no] {""}
}

## Nudges
ask-nudge-experts = { $who }：この質問は業務時間で { $hours } 時間、回答を待っています。どなたか対応できますか？
ask-nudge-nobody = この質問は業務時間で { $hours } 時間、回答を待っています。どなたか手伝えますか？
ask-nudge-claimers = { $who }：この質問は業務時間で { $hours } 時間、回答を待っています。回答は出ましたか？行き詰まっていたら、ここで一言書いてもらえればほかの人が手伝えます。
ask-escalate-thread = { $who }：この質問は業務時間で { $hours } 時間、回答がありません。チームで手伝ってもらえますか？
ask-escalate-channel = { $topic ->
    [none] 質問
   *[other] { $topic } の質問
}に業務時間で { $hours } 時間、回答がありません：「{ $excerpt }」<{ $link }|開く>

## Saying thanks
ask-thanks-prefill = 「{ $excerpt }」を手伝ってくれてありがとうございます
ask-thanks-prefill-anon = 質問を手伝ってくれてありがとうございます！
ask-modal-anon-note = 匿名で質問しました。お礼にはあなたの名前が表示されるため、このお礼はどこにも公開投稿せず、質問の内容も引用しません。お礼を受け取る人だけに届き、あなたからだと分かります。
ask-thanks-not-resolved = この質問はまだ解決済みになっていません。先に解決済みにするか、`{ $cmd-thanks } @相手 してくれたこと` でお礼を伝えてください。
ask-thanks-not-yours = この質問にお礼できるのは質問した本人だけです。
ask-thanks-use-command = `{ $cmd-thanks } @相手 してくれたこと` でお礼を伝えられます。
ask-modal-title = お礼を伝える
ask-modal-recipients = 手伝ってくれた人
ask-modal-message = メッセージ
ask-modal-points = ポイント（任意）
ask-modal-points-hint = 今月の予算から、1 人あたり最大 { $max } ポイント。空欄ならポイントなし。
ask-modal-submit = 送る
ask-modal-close = キャンセル
ask-modal-failed = お礼フォームを時間内に開けませんでした。もう一度ボタンを押してください。

## /ask stats
ask-stats-admins-only = 質問の集計は管理者だけが見られます。
ask-stats-none = 過去 { $days } 日間に質問はありません。
ask-stats-header = 過去 { $days } 日間の質問（時間は業務時間、中央値）：
ask-stats-line = • { $topic }：質問 { $asked } 件、回答率 { $share }%、初回回答まで { $answer }、解決まで { $resolve }
ask-stats-no-topic = （トピックなし）
ask-stats-nothing = –
ask-stats-footer = 件数のみです。質問者は表示しません。
ask-duration = { $h }時間{ $m }分
