# /1on1: ペア、記録、リマインダー、パルス。

oneonone-cadence-weekly = 毎週
oneonone-cadence-biweekly = 2週間ごと
oneonone-cadence-monthly = 毎月
oneonone-cadence-days = { $n ->
    [one] 毎日
   *[other] { $n }日ごと
}
oneonone-never = まだなし

oneonone-not-a-person = { $user } さんはこのワークスペースの人ではないため（ボット、無効化済み、または不明）、1on1 の相手にできません。
oneonone-add-self = 自分自身を部下にはできません。`{ $cmd-1on1 } add @メンバー` をお試しください。
oneonone-added = { $report } さんを部下として追加しました。1on1 は{ $cadence }です。最初の期日は { $due } で、遅れそうならお知らせします。
oneonone-added-dm = { $manager } さんとの定期 1on1（{ $cadence }）が始まりました。1on1 はあなたのための時間です。話したいことは `{ $cmd-1on1 } topic { $manager } …` で追加できます。{ $manager } さんがあなたのマネージャーでない場合は `{ $cmd-1on1 } remove { $manager }` で終了できます。
oneonone-already-added = { $report } さんはすでに部下として登録されています（1on1 は{ $cadence }）。
oneonone-cadence-changed = { $report } さんとの 1on1 を{ $cadence }に変更しました。次の期日は { $due } です。
oneonone-has-manager = { $report } さんはすでに { $manager } さんと 1on1 をしています。{ $manager } さんに `{ $cmd-1on1 } remove` を依頼するか、管理者に新しい組織図を取り込んでもらってください。これまでの記録は元のペアに残ります。
oneonone-has-manager-neutral = { $report } さんには otagai 上ですでにマネージャーがいます。変更は本人か管理者が行えます。
oneonone-invited = { $report } さんに 1on1（{ $cadence }）の確認を依頼しました。承認されるとペアが始まります。この依頼は { $days } 日で期限切れになります。
oneonone-invite-pending = { $report } さんへの依頼はまだ回答待ちです。再送はしていません。
oneonone-invite-declined-recently = { $report } さんは前回の依頼を辞退したため、{ $date } までは再度お送りしません。担当マネージャーであるべき場合はご本人に確認するか、管理者にペアの追加を依頼してください。
oneonone-invite-too-many = 過去 24 時間に { $n } 件の依頼を送りました。1 日に送れる上限です。明日あらためて送るか、管理者にペアの追加（または組織図のインポート）を依頼してください。
oneonone-invite-dm = { $manager } さんが、あなたのマネージャーとして定期的な 1on1（{ $cadence }）を希望しています。{ $manager } さんがあなたのマネージャーであれば承認してください。そうでなければ辞退してください。何も変更されません。この依頼は { $days } 日で期限切れになります。
oneonone-invite-button-accept = 承認する
oneonone-invite-button-decline = 辞退する
oneonone-invite-accepted = 承認しました。{ $manager } さんとの定期 1on1（{ $cadence }）が始まります。1on1 はあなたのための時間です。話したいことは `{ $cmd-1on1 } topic { $manager } …` で追加できます。
oneonone-invite-accepted-dm = { $report } さんが 1on1 の依頼を承認しました。1on1 は{ $cadence }です。最初の期日は { $due } で、遅れそうならお知らせします。
oneonone-invite-declined = { $manager } さんとの 1on1 を辞退しました。何も変更されていません。
oneonone-invite-declined-dm = { $report } さんが定期 1on1 の依頼を辞退しました。心当たりがない場合は、ご本人か管理者にご相談ください。
oneonone-invite-not-yours = この依頼はあなた宛てではないため、何も変更されていません。
oneonone-invite-expired = { $manager } さんからのこの依頼は期限切れのため、何も変更されていません。{ $manager } さんは `{ $cmd-1on1 } add` で改めて依頼できます。
oneonone-invite-was-accepted = { $manager } さんからのこの依頼はすでに承認済みです。
oneonone-invite-was-declined = { $manager } さんからのこの依頼は辞退済みのため、何も変更されていません。{ $manager } さんは `{ $cmd-1on1 } add` で改めて依頼できます。
oneonone-invite-has-manager = すでに { $current } さんと 1on1 をしています。{ $manager } さんの依頼を承認するには、まず `{ $cmd-1on1 } remove { $current }` でそのペアを終了してから、もう一度「承認する」を押してください。
oneonone-list-pending = • { $report } さん（依頼中、{ $cadence }）：承認待ち
oneonone-add-own-manager = { $manager } さんはあなたのマネージャーなので、部下として追加できません。
oneonone-removed = { $report } さんを部下から外しました。これまでの 1on1 の記録は残ります。
oneonone-left = { $manager } さんとの定期 1on1 を終了しました。これまでの記録は残ります。
oneonone-not-your-report = { $report } さんはあなたの部下ではありません。1on1 の設定を変えられるのはその人のマネージャーだけです。
oneonone-no-pair = あなたと { $other } さんの間に定期 1on1 はありません。マネージャーが `{ $cmd-1on1 } add @部下` で始められます。
oneonone-pair-gone = その 1on1 のペアはもう存在しないか、あなたのものではありません。

oneonone-snoozed = { $date } まで { $report } さんについてのリマインダーを止めます。
oneonone-snooze-past = { $date } はもう来ています。`{ $cmd-1on1 } snooze @メンバー 3d` のように先の日付を指定してください。
oneonone-snooze-too-long = スヌーズは最長1年です。長期の不在には `{ $cmd-1on1 } pause @メンバー` をお使いください。
oneonone-paused = { $report } さんの 1on1 リマインダーを一時停止しました。戻ったら `{ $cmd-1on1 } resume` してください。
oneonone-resumed = { $report } さんのリマインダーを再開しました。次の期日は { $due } です。
oneonone-not-paused = { $report } さんのリマインダーは止まっていませんでした。次の期日は { $due } です。

oneonone-list-none = 定期 1on1 はまだありません。マネージャーは `{ $cmd-1on1 } add @部下` から始められます。
oneonone-list-header = *あなたの 1on1*
oneonone-list-as-manager = • { $other } さん（部下、{ $cadence }）：前回 { $last }、次の期日 { $due }、{ $state }、未完了のアクション { $items } 件
oneonone-list-as-report = • { $other } さん（マネージャー、{ $cadence }）：前回 { $last }、次の期日 { $due }、{ $state }、未完了のアクション { $items } 件
oneonone-state-on-track = 予定どおり
oneonone-state-due = 今日が期日
oneonone-state-overdue = { $days }日超過
oneonone-state-snoozed = { $until } までスヌーズ中
oneonone-state-paused = 一時停止中

oneonone-done = { $other } さんとの { $date } の 1on1 を記録しました。次の期日は { $due } です。
oneonone-done-notes-private = メモを保存しました。読めるのはあなたと相手の2人だけです（`{ $cmd-1on1 } notes`）。
oneonone-done-topics = トピック { $n } 件を話し合い済みにしました。
oneonone-done-open-items = 未完了のアクションが { $n } 件あります：`{ $cmd-1on1 } todos`
oneonone-done-already = { $other } さんとの { $date } の 1on1 はすでに記録されています。
oneonone-done-already-noted = { $other } さんとの { $date } の 1on1 はすでに記録されていたので、メモをそこに追加しました。
oneonone-done-too-old = { $date } は1年以上前です。日付（YYYY-MM-DD）をご確認ください。
oneonone-done-future = { $date } はまだ来ていません。1on1 をした後に記録してください。
oneonone-too-long = 長すぎます。{ $max } 文字以内にしてください。

oneonone-todo-added = あなたと { $other } さんのアクション #{ $id } を追加しました。`{ $cmd-1on1 } todo done { $id }` で完了にするまで残ります。
oneonone-topic-added = { $other } さんとの次の 1on1 のトピックを追加しました。
oneonone-todos-none = 未完了のアクションはありません。いいですね。
oneonone-todos-header = *未完了のアクション*
oneonone-todos-line = • #{ $id } { $text }（{ $other } さんと）
oneonone-todos-footer = 完了にするには `{ $cmd-1on1 } todo done 番号`。
oneonone-todo-closed = #{ $id } を完了にしました：{ $text }
oneonone-todo-already = #{ $id } はすでに完了しています。
oneonone-todo-unknown = あなたのアクション #{ $id } は見つかりません。`{ $cmd-1on1 } todos` で一覧できます。

oneonone-notes-none = { $other } さんとの 1on1 のメモはまだありません。
oneonone-notes-header = *{ $other } さんとの最近の 1on1 のメモ*（見られるのはお二人だけです）
oneonone-notes-line = • { $date }、{ $author } さん：{ $text }

oneonone-private-too-slow = メモの読み込みに時間がかかりました。コピーが残る方法では送らないため、もう一度 `{ $cmd-1on1 } notes` を実行してください。

oneonone-remind-first = { $report } さんと 1on1 をしましょう。追加から { $days }日、まだ一度も記録がありません。
oneonone-remind-due = { $report } さんと 1on1 をしましょう。前回は { $last }（{ $days }日前）でした。
oneonone-remind-again = { $report } さんとの 1on1 が { $overdue }日過ぎています（前回から { $days }日）。15分だけでも効果があります。
oneonone-remind-again-never = { $report } さんとの最初の 1on1 が { $overdue }日過ぎています（追加から { $days }日）。15分だけでも効果があります。
oneonone-remind-items = *未完了のアクション*
oneonone-remind-topics = *トピック*（{ $report } さんの分を先に。部下のための時間です）
oneonone-remind-questions = *最初に聞いてみたいこと*
oneonone-item-line = • #{ $id } { $text }（{ $by } さん）
oneonone-topic-line = • { $text }（{ $by } さん）
oneonone-more = …ほか { $n } 件
oneonone-remind-footer = 実施したら *今日やった* を押すか、`{ $cmd-1on1 } done { $report }` と入力してください。数日ずらすなら *2日後に再通知*。
oneonone-button-held = 今日やった
oneonone-button-snooze = 2日後に再通知
oneonone-button-done = 完了
oneonone-nudge-report = { $manager } さんとの定期 1on1 がしばらく行われていません。1on1 はあなたのための時間です。遠慮なく声をかけるか、`{ $cmd-1on1 } topic { $manager } …` で話したいことを追加してみてください。

oneonone-pulse-intro = { $manager } さんとの 1on1 について、2つだけ質問です。回答は匿名で、{ $manager } さんが見られるのは複数の回答の集計だけです。
oneonone-pulse-useful = 役に立ちましたか？（1 = まったく、5 = とても）
oneonone-pulse-talk = どちらが多く話しましたか？
oneonone-pulse-talk-report = 自分
oneonone-pulse-talk-even = 同じくらい
oneonone-pulse-talk-manager = マネージャー
oneonone-pulse-partial = ありがとうございます。上にもう1問あります。
oneonone-pulse-thanks = ありがとうございました。回答は匿名で記録しました。
oneonone-pulse-closed = このアンケートは回答済みか、すでに締め切られています。
oneonone-pulse-summary = 回答 { $answers } 件：役に立った度 { $useful } / 5。多く話したのは 部下 { $report }%、同じくらい { $even }%、マネージャー { $manager }%。

oneonone-feedback = *あなたの 1on1 のパルス（直近 { $days } 日）*
oneonone-feedback-not-enough = 回答が直近 { $days } 日で { $need } 件以上集まると表示されます（誰の回答か分からないようにするためです）。現在 { $have } 件です。
oneonone-feedback-one-person = これまでの回答はすべて1人からのものなので、表示すると誰の回答か分かってしまいます。2人以上の部下が回答すると表示されます。
oneonone-pulse-steps = 回答や特定の1人の回答が見分けられないよう、回答は2人以上の回答を含む { $k } 件以上のまとまりごとに集計に加わります。新しい { $newer } 件は、そのまとまりがそろうと加わります。
oneonone-feedback-talk-hint = 多くの 1on1 であなたの方が多く話しています。質問から始めて、沈黙を待ってみてください。1on1 は部下のための時間です。

oneonone-report-admins-only = `{ $cmd-1on1 } report` は管理者専用です。
oneonone-report-empty = 1on1 のペアはまだありません。マネージャーは `{ $cmd-1on1 } add @部下` で、管理者は `otagai org import` で組織図を取り込めます。
oneonone-report = *組織全体の 1on1*：{ $pairs } ペア、予定どおり { $share }%（予定どおり { $ontrack }、今日が期日 { $due }、超過 { $overdue }、一時停止・スヌーズ { $resting }）。
oneonone-report-teams = *1on1 が滞っているチーム*
oneonone-report-team = • { $manager } さんのチーム：{ $pairs } ペア中 { $overdue } ペアが超過
oneonone-report-pulse = *パルス（直近 { $days } 日）*
oneonone-report-pulse-not-enough = 組織のパルスは回答が { $need } 件以上集まると表示されます。
