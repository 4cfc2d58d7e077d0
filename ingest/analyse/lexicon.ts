/**
 * Word lists and thresholds of the baseline analyser (./analyse.ts), in one structured constant.
 *
 * This is the default rule set of ../../spec/grading.md written as data: a later issue moves it into a
 * versioned rules file that operators can edit, so nothing in here may be code. Terms are matched
 * against the normalised text after traditional → simplified folding, so write them in simplified
 * characters. Lists are matched longest-first; within one family (risk, topic, sentiment …) a match
 * that lies inside a longer match of the same family is not counted again.
 */
import type { TopicCode } from '../taxonomy.ts';
import type { RiskCategory } from './types.ts';

/** A term that only counts when it is not followed / not preceded by one of these strings. */
export interface Guard {
  readonly notFollowedBy?: readonly string[];
  readonly notPrecededBy?: readonly string[];
  /** Only the risk and casualty lists honour this guard; topic and sentiment words still count. */
  readonly riskOnly?: boolean;
}

export interface Lexicon {
  readonly version: string;
  readonly thresholds: {
    /** 重大: this many people or more. */
    readonly majorPeople: number;
    /** 重点: this many people or more (below majorPeople). */
    readonly keyPeople: number;
    readonly majorAmountYuan: number;
    readonly keyAmountYuan: number;
    /** 重大: this many injured or more; 重点 below it (but at least one). */
    readonly majorInjured: number;
    /** 重点: repeat petitions with an explicit count of at least this. */
    readonly repeatMin: number;
  };
  readonly windows: {
    /** Characters before a risk term searched for a negator (within the same clause). */
    readonly negation: number;
    /** Largest gap between a one-character negator (不, 没 …) and the term it negates. */
    readonly singleNegatorGap: number;
    /** Characters before a sentiment word searched for a degree word or negator. */
    readonly sentimentModifier: number;
    /** Characters before an injury/death term searched for its head count (same clause). */
    readonly casualtyCountBefore: number;
    /** Characters after an injury/death term searched for its head count (受伤3人). */
    readonly casualtyCountAfter: number;
    /** Characters before "N次" searched for a petitioning verb. */
    readonly repeatVerbBefore: number;
    /** Characters after "N次" searched for a petitioning verb (三次到信访局). */
    readonly repeatVerbAfter: number;
    /** Characters before an amount ending in 万/亿 without 元 searched for a money cue. */
    readonly moneyCue: number;
  };
  /** Ends a clause for negation and count windows. */
  readonly clausePunctuation: string;
  /** Traditional → simplified character pairs ("廠厂 廢废 …"), applied for matching only. */
  readonly tradToSimp: string;

  readonly risk: Readonly<Record<Exclude<RiskCategory, 'casualty' | 'repeat'>, readonly string[]>>;
  readonly casualty: {
    readonly death: readonly string[];
    /** Natural deaths (去世 …): ignored in consultations ("我母亲去世了，请问丧葬费怎么领"). */
    readonly naturalDeath: readonly string[];
    readonly injury: readonly string[];
    /** An injury with no number but one of these before it (多人受伤) counts as `vagueCount`. */
    readonly vaguePlural: readonly string[];
    /** Lower bound of "several" (多人, 数名 …). */
    readonly vagueCount: number;
    /** "一死两伤": a number right before 死 / 伤 counts, unless these follow (一死了之, 两伤心 …). */
    readonly numeralDeathExceptions: readonly string[];
    readonly numeralInjuryExceptions: readonly string[];
  };
  readonly negation: {
    /** Negators, matched longest first; one-character ones only right before the term. */
    readonly negators: readonly string[];
    /** Words that contain a negator character but do not negate what follows (不得不, 不给 …). */
    readonly nonNegating: readonly string[];
    /** A negator does not reach over these (再不给钱我就跳楼, 别逼我跳楼). */
    readonly breakers: readonly string[];
  };
  readonly guards: Readonly<Record<string, Guard>>;
  /**
   * Risk terms that are ordinary words too (北京, 省里, 媒体 …): they only count with one of the cues
   * within `window` characters before or after them in the same clause (去北京, 联系了记者).
   */
  readonly contextual: {
    readonly window: number;
    readonly terms: Readonly<Record<string, readonly string[]>>;
  };

  readonly people: {
    /** Measure words right after a number that make it a head count. */
    readonly counters: readonly string[];
    /** Nouns that make a head count after 个 (三个工人) or directly after a number (200员工). */
    readonly personNouns: readonly string[];
    /** Nouns that make a head count after 家 (十几家商户, but not 十几家企业). */
    readonly householdNouns: readonly string[];
    /** The other side: "三名保安" is not the petitioning side. */
    readonly otherSide: readonly string[];
    /** Counters that are not people when followed by these (名义, 位于 …). */
    readonly counterExceptions: Readonly<Record<string, readonly string[]>>;
    /** First-person singular or an individual's question/purchase: people = 1 when no count. */
    readonly singular: readonly string[];
    /** Unspecified plural: people stays null when no count (我们, 多名村民). */
    readonly plural: readonly string[];
  };
  readonly money: {
    /** Currency words right after a number. 块 only counts before 钱 or a non-CJK character. */
    readonly units: readonly string[];
    /** Words near an amount ending in 万/亿 that make it money without 元 (工资1.2万). */
    readonly cues: readonly string[];
    /** After 万/亿 these are not money (两万人, 三万平方米). */
    readonly nonMoneyFollowers: string;
    /** Near these a bare 万/亿 is a head count, not money. */
    readonly peopleCues: readonly string[];
  };
  readonly repeat: {
    /** Petitioning verbs near "N次" that make it a repeat count. */
    readonly verbs: readonly string[];
  };
  /** Keyword weights per topic; the best total wins, ties broken by topicPriority. */
  readonly topics: Readonly<Record<TopicCode, Readonly<Record<string, number>>>>;
  readonly topicPriority: readonly TopicCode[];
  /** A topic keyword that occurs again in the same text adds this share of its weight. */
  readonly repeatedKeywordFactor: number;
  readonly sentiment: {
    readonly negative: Readonly<Record<string, number>>;
    readonly positive: Readonly<Record<string, number>>;
    /** Questions and requests for information. */
    readonly consult: readonly string[];
    readonly degree: Readonly<Record<string, number>>;
    /** Negators right before a sentiment word flip it. */
    readonly negators: readonly string[];
    /** Label of a text that is no question and carries no sentiment word: petitions complain. */
    readonly defaultLabel: 'negative' | 'neutral';
    /** Its score. */
    readonly defaultScore: number;
    /** Weight a non-negated risk term (extreme, mass action, media …) adds to the negative side. */
    readonly riskTermWeight: number;
    /** Weight of negative words in a clause that is itself a question. */
    readonly questionClauseFactor: number;
    /** A text with consultation cues is negative only with at least this much negative weight. */
    readonly consultNegativeMin: number;
    /** … and positive only with at least this much positive weight. */
    readonly consultPositiveMin: number;
    /** Weight kept by a flipped (negated) sentiment word. */
    readonly flipFactor: number;
    /** A neutral label keeps its score within ± this. */
    readonly neutralScoreLimit: number;
  };
  /** At most this many risk terms are listed per text (all still count for grading). */
  readonly maxRiskTerms: number;
}

// A word table: words are filled into lines rather than one per line, so keep Prettier off it.
// prettier-ignore
export const LEXICON: Lexicon = {
  version: 'baseline-1',

  thresholds: {
    majorPeople: 50,
    keyPeople: 5,
    majorAmountYuan: 10_000_000,
    keyAmountYuan: 1_000_000,
    majorInjured: 3,
    repeatMin: 3,
  },

  windows: {
    negation: 6,
    singleNegatorGap: 2,
    sentimentModifier: 3,
    casualtyCountBefore: 20,
    casualtyCountAfter: 6,
    repeatVerbBefore: 8,
    repeatVerbAfter: 4,
    moneyCue: 10,
  },

  clausePunctuation: '，。！？；：、,.!?;:…\n\r\t“”"‘’（）()《》【】[]|',

  tradToSimp: [
    '萬万 與与 專专 業业 東东 絲丝 丟丢 兩两 嚴严 喪丧 個个 豐丰 臨临 為为 爲为 麗丽 舉举 麼么 義义 烏乌 樂乐',
    '喬乔 習习 鄉乡 書书 買买 亂乱 爭争 於于 虧亏 雲云 亞亚 產产 畝亩 親亲 億亿 僅仅 從从 倉仓 儀仪 們们',
    '價价 眾众 衆众 優优 夥伙 會会 傘伞 偉伟 傳传 傷伤 倫伦 偽伪 僞伪 體体 餘余 傭佣 俠侠 偵侦 側侧 僑侨',
    '債债 傾倾 償偿 儲储 兒儿 兌兑 黨党 蘭兰 關关 興兴 養养 獸兽 內内 岡冈 冊册 寫写 軍军 農农 馮冯 衝冲',
    '沖冲 決决 況况 凍冻 淨净 涼凉 減减 湊凑 幾几 鳳凤 憑凭 凱凯 擊击 劃划 劉刘 則则 剛刚 創创 刪删 別别',
    '劊刽 劑剂 劍剑 剝剥 劇剧 勸劝 辦办 務务 動动 勵励 勁劲 勞劳 勢势 勳勋 勻匀 區区 醫医 華华 協协 單单',
    '賣卖 盧卢 鹵卤 衛卫 卻却 廠厂 廳厅 曆历 歷历 厲厉 壓压 厭厌 廁厕 廂厢 廈厦 廚厨 縣县 參参 雙双 發发',
    '變变 敘叙 疊叠 葉叶 號号 嘆叹 籲吁 後后 嚇吓 呂吕 嗎吗 噸吨 聽听 啟启 啓启 吳吴 嘔呕 員员 嗆呛 嗚呜',
    '詠咏 嚨咙 響响 啞哑 嘩哗 喲哟 嘮唠 喚唤 嘖啧 嘯啸 噴喷 囑嘱 嚕噜 團团 園园 圍围 國国 圖图 圓圆 聖圣',
    '場场 壞坏 塊块 堅坚 壇坛 壩坝 墳坟 墜坠 壟垄 壘垒 墾垦 墊垫 塹堑 墮堕 牆墙 壯壮 聲声 殼壳 壺壶 處处',
    '備备 復复 複复 夠够 頭头 誇夸 夾夹 奪夺 奮奋 獎奖 奧奥 妝妆 婦妇 媽妈 婁娄 嬌娇 娛娱 嬰婴 嬸婶 孫孙',
    '學学 孿孪 寧宁 寶宝 實实 寵宠 審审 憲宪 宮宫 寬宽 賓宾 寢寝 對对 尋寻 導导 壽寿 將将 爾尔 塵尘 堯尧',
    '屍尸 盡尽 層层 屜屉 屆届 屬属 屢屡 嶼屿 歲岁 豈岂 崗岗 島岛 嶺岭 嶽岳 嶄崭 鞏巩 幣币 帥帅 師师 帳帐',
    '簾帘 幟帜 帶带 幫帮 幹干 廣广 莊庄 慶庆 廬庐 庫库 應应 廟庙 龐庞 廢废 開开 異异 棄弃 張张 彌弥 彎弯',
    '彈弹 強强 歸归 當当 錄录 彙汇 匯汇 彥彦 徹彻 徑径 憶忆 憂忧 懷怀 態态 憐怜 總总 戀恋 懇恳 惡恶 惱恼',
    '悅悦 懸悬 憫悯 驚惊 懼惧 慘惨 懲惩 憊惫 慚惭 慣惯 憤愤 願愿 懶懒 戲戏 戰战 戶户 紮扎 撲扑 執执 擴扩',
    '掃扫 揚扬 擾扰 撫抚 拋抛 摳抠 搶抢 護护 報报 擔担 擬拟 攏拢 揀拣 擁拥 攔拦 擰拧 撥拨 擇择 掛挂 摯挚',
    '摻掺 撓挠 擋挡 掙挣 擠挤 揮挥 撈捞 損损 撿捡 換换 搗捣 據据 擄掳 擲掷 撣掸 攙搀 攪搅 攜携 攝摄 擺摆',
    '搖摇 攤摊 撐撑 採采 擡抬 敵敌 斂敛 數数 齋斋 鬥斗 斬斩 斷断 無无 舊旧 時时 曠旷 晝昼 顯显 晉晋 曬晒',
    '曉晓 暈晕 暉晖 暫暂 術术 樸朴 機机 殺杀 雜杂 權权 條条 來来 楊杨 傑杰 極极 構构 樞枢 棗枣 槍枪 楓枫',
    '櫃柜 檸柠 柵栅 標标 棧栈 棟栋 欄栏 樹树 棲栖 樣样 檔档 橋桥 樁桩 夢梦 檢检 樓楼 欖榄 櫻樱 櫥橱 橫横',
    '檯台 臺台 颱台 樑梁 歡欢 歐欧 殲歼 殘残 殞殒 殯殡 毆殴 毀毁 畢毕 斃毙 氣气 氫氢 漢汉 湯汤 溝沟 沒没',
    '瀝沥 淪沦 滄沧 滬沪 濘泞 淚泪 瀉泻 潑泼 澤泽 潔洁 灑洒 窪洼 淺浅 漿浆 澆浇 濁浊 測测 濟济 瀏浏 渾浑',
    '滸浒 濃浓 濤涛 澇涝 漣涟 渦涡 滌涤 潤润 澗涧 漲涨 澀涩 澱淀 淵渊 漬渍 瀆渎 漸渐 漁渔 瀋沈 滲渗 溫温',
    '灣湾 濕湿 潰溃 濺溅 滯滞 滿满 濾滤 濫滥 濱滨 灘滩 瀟潇 潛潜 瀾澜 瀕濒 滅灭 燈灯 靈灵 災灾 燦灿 爐炉',
    '燉炖 點点 煉炼 熾炽 爍烁 爛烂 燭烛 煙烟 煩烦 燒烧 燴烩 燙烫 燼烬 熱热 煥焕 愛爱 爺爷 牽牵 犧牺 狀状',
    '猶犹 狽狈 獰狞 獨独 狹狭 獅狮 猙狰 獄狱 獵猎 豬猪 貓猫 獻献 瑪玛 環环 現现 璽玺 瑣琐 瓊琼 電电 畫画',
    '暢畅 療疗 瘡疮 瘋疯 癢痒 癆痨 瘓痪 癡痴 癱瘫 癮瘾 皺皱 盞盏 鹽盐 監监 蓋盖 盜盗 盤盘 睜睁 瞞瞒 矚瞩',
    '矯矫 礦矿 碼码 磚砖 硯砚 礎础 碩硕 確确 鹼碱 礙碍 禮礼 禍祸 禎祯 禱祷 禪禅 離离 禿秃 種种 積积 稱称',
    '穢秽 穩稳 窮穷 竊窃 竅窍 窯窑 竄窜 窩窝 窺窥 豎竖 競竞 筆笔 筍笋 籠笼 築筑 篩筛 籌筹 簽签 簡简 籃篮',
    '籬篱 類类 糞粪 糧粮 緊紧 縈萦 糾纠 紀纪 約约 紅红 紋纹 納纳 紐纽 純纯 紗纱 紙纸 級级 紛纷 紡纺 細细',
    '紳绅 紹绍 終终 組组 絆绊 經经 綁绑 絨绒 結结 繞绕 給给 絢绚 絡络 絕绝 絞绞 統统 絹绢 繼继 績绩 緒绪',
    '續续 綺绮 綽绰 繩绳 維维 綿绵 繃绷 綢绸 綜综 綻绽 綠绿 綴缀 練练 緘缄 緬缅 緝缉 編编 緣缘 緩缓 締缔',
    '緞缎 線线 縛缚 緯纬 縫缝 縮缩 縱纵 縷缕 織织 繕缮 繳缴 繪绘 羅罗 罰罚 罷罢 羈羁 翹翘 聞闻 聯联 聰聪',
    '聳耸 職职 肅肃 腸肠 膚肤 腎肾 腫肿 脹胀 脅胁 膽胆 勝胜 脛胫 膿脓 臍脐 腦脑 膠胶 臟脏 髒脏 臉脸 腳脚',
    '脫脱 臘腊 膩腻 騰腾 輿舆 艦舰 艙舱 艱艰 豔艳 藝艺 節节 蕪芜 蘆芦 蘇苏 蘋苹 範范 莖茎 薦荐 莢荚 藥药',
    '蒼苍 葦苇 蔥葱 萊莱 蓮莲 獲获 瑩莹 鶯莺 蘿萝 螢萤 營营 蕭萧 薩萨 蔣蒋 藍蓝 蔭荫 藹蔼 蘊蕴 虜虏 慮虑',
    '蟲虫 蝦虾 雖虽 螞蚂 蠶蚕 蟻蚁 蠱蛊 蠟蜡 蟬蝉 蠍蝎 蠻蛮 蠅蝇 補补 襯衬 裝装 製制 褲裤 襖袄 襪袜 襲袭',
    '見见 規规 覓觅 視视 覽览 覺觉 觀观 觸触 計计 訂订 認认 譏讥 討讨 讓让 訓训 議议 訊讯 記记 講讲 諱讳',
    '訝讶 許许 訛讹 論论 訟讼 諷讽 設设 訪访 訣诀 證证 評评 詛诅 識识 詐诈 訴诉 診诊 詆诋 詞词 譯译 試试',
    '詩诗 誠诚 話话 誕诞 詭诡 詢询 該该 詳详 誡诫 誣诬 語语 誤误 誘诱 說说 請请 諸诸 諾诺 讀读 誹诽 課课',
    '誰谁 調调 諒谅 談谈 誼谊 謀谋 諜谍 謊谎 諧谐 謂谓 諮咨 諺谚 謎谜 謝谢 謠谣 謗谤 謙谦 謹谨 謬谬 譜谱',
    '譴谴 貝贝 貞贞 負负 財财 貢贡 貧贫 貨货 販贩 貪贪 貫贯 責责 貯贮 貳贰 貴贵 貶贬 貸贷 費费 貼贴 貿贸',
    '賀贺 賂赂 賃赁 賄贿 資资 賈贾 賊贼 賑赈 賒赊 賜赐 賞赏 賠赔 賢贤 賤贱 賦赋 賭赌 賬账 質质 賴赖 賺赚',
    '購购 賽赛 贅赘 贈赠 贊赞 讚赞 贍赡 贏赢 贓赃 贖赎 趙赵 趕赶 趨趋 躍跃 跡迹 踐践 蹤踪 軀躯 車车 軌轨',
    '軒轩 轉转 輪轮 軟软 轟轰 軸轴 輕轻 載载 轎轿 較较 輔辅 輛辆 輩辈 輝辉 輸输 輻辐 輯辑 轄辖 轍辙 辭辞',
    '辯辩 這这 連连 進进 運运 過过 達达 違违 遙遥 遞递 遠远 適适 遲迟 遷迁 選选 遺遗 遼辽 邁迈 還还 邊边',
    '邏逻 鄧邓 郵邮 鄒邹 鄰邻 鬱郁 鄭郑 醞酝 醜丑 醬酱 釀酿 釋释 釐厘 針针 釘钉 鈍钝 鈔钞 鈣钙 鉗钳 鈴铃',
    '鉛铅 銀银 銅铜 鋁铝 銘铭 銳锐 鋒锋 鋪铺 鋤锄 鋼钢 錐锥 錦锦 錯错 錢钱 錫锡 鍋锅 鍵键 鍾钟 鐘钟 鎖锁',
    '鎮镇 鏈链 鏡镜 鐵铁 鑄铸 鑑鉴 鑒鉴 鑰钥 鑽钻 長长 門门 閃闪 閉闭 問问 闖闯 閑闲 閒闲 間间 閘闸 閣阁',
    '閥阀 閱阅 闊阔 闡阐 闆板 關关 陽阳 陰阴 陣阵 階阶 際际 陸陆 陳陈 陝陕 隕陨 險险 隨随 隱隐 隸隶 難难',
    '雛雏 雞鸡 雜杂 霧雾 靜静 韋韦 韓韩 韻韵 頁页 頂顶 頃顷 項项 順顺 須须 頑顽 顧顾 頓顿 頒颁 頌颂 預预',
    '領领 頗颇 頸颈 頰颊 頻频 頹颓 顆颗 題题 額额 顏颜 顛颠 類类 顫颤 風风 颳刮 飄飘 飛飞 飢饥 飯饭 飲饮',
    '飼饲 飽饱 飾饰 餃饺 餅饼 餌饵 餓饿 館馆 餡馅 饅馒 饑饥 饒饶 馬马 馭驭 馱驮 馳驰 馴驯 駁驳 駐驻 駕驾',
    '駛驶 駝驼 駭骇 騎骑 騙骗 騷骚 驅驱 驗验 驟骤 驢驴 骯肮 髏髅 髖髋 鬆松 鬍胡 鬚须 鬧闹 鬨哄 魚鱼 魯鲁',
    '鮮鲜 鯉鲤 鯨鲸 鱗鳞 鳥鸟 鳴鸣 鴉鸦 鴨鸭 鴿鸽 鵝鹅 鵬鹏 鶴鹤 鷹鹰 鹹咸 麥麦 黃黄 黴霉 齊齐 齒齿 齡龄',
    '龍龙 龔龚 龜龟 裡里 裏里 週周 麵面 麪面 隻只 僱雇 佔占 纔才 併并 並并 祕秘 繫系 係系 佈布 鍊炼 鏟铲',
    '燻熏 嚐尝 噹当 託托 捲卷 遊游 徵征 穀谷 捨舍 嚮向 迴回 綑捆 剋克 慾欲 洩泄 卹恤 牀床 菸烟 脣唇 竪竖',
    '銹锈 準准 鉅巨 眞真 錶表 繡绣 罈坛 甕瓮 醃腌 蓆席 捱挨 擱搁 殭僵 竈灶 糰团 搾榨 蒐搜',
  ].join(' '),

  risk: {
    // Suicide and self-harm, threatened or under way; generic threats of "extreme / drastic action".
    extreme: [
      '自杀', '轻生', '寻死', '寻短见', '自尽', '自缢', '上吊', '跳楼', '跳河', '跳江', '跳湖', '跳海', '跳桥', '跳崖',
      '跳下去', '卧轨', '自焚', '浇汽油', '浇上汽油', '点火烧自己', '服毒', '喝农药', '喝了农药', '喝药', '吃安眠药',
      '吃老鼠药', '割腕', '自残', '自伤', '遗书', '绝笔', '不想活了', '不想活', '活不下去', '活不成了', '没法活了',
      '没法活', '没有活路', '没活路', '一死了之', '以死相逼', '以死明志', '死给你们看', '死给他们看', '死在你们',
      '结束生命', '结束自己的生命', '了结自己', '一了百了', '极端行为', '极端方式', '极端手段', '极端措施', '过激行为',
      '过激行动', '过激手段', '过激举动',
    ],
    // Harming others, threatened or under way.
    violence: [
      '同归于尽', '持刀', '拿刀', '拿着刀', '带刀', '砍人', '砍死', '捅死', '捅人', '杀人', '杀了他', '杀了你',
      '杀全家', '弄死', '投毒', '下毒', '纵火', '放火', '一把火烧了', '炸掉', '炸死', '炸药', '爆炸', '雷管', '汽油瓶',
      '报复社会', '血债血偿', '拼个你死我活', '跟他拼了', '和他拼了', '跟他们拼了', '和他们拼了', '泼硫酸', '挟持',
      '劫持',
    ],
    mass_action: [
      '集体上访', '集体访', '集访', '集体到', '集体去', '集体前往', '集体维权', '组团上访', '组织上访', '联名上访',
      '串联', '聚集', '围堵', '堵路', '堵门', '堵大门', '堵厂门', '堵政府', '堵桥', '堵高速', '封路', '拦路', '拦车',
      '静坐', '拉横幅', '打横幅', '挂横幅', '举横幅', '横幅', '举牌', '停工', '罢工', '停运', '罢运', '罢课', '罢市',
      '闹事', '游行', '示威', '冲击', '围攻', '打砸', '群体性',
    ],
    over_heads: [
      '越级', '进京', '赴京', '上京', '北京', '省信访局', '省信访办', '省信访', '省政府', '省委', '省里', '省城',
      '省长', '省纪委', '省领导', '国家信访局', '国家信访', '国务院', '中央', '中南海', '天安门', '中纪委', '国家部委',
    ],
    media: [
      '曝光', '找记者', '记者', '媒体', '电视台', '报社', '发到网上', '发网上', '传到网上', '挂到网上', '放到网上',
      '网上传开', '发抖音', '发微博', '发朋友圈', '发到抖音', '发到微博', '发到朋友圈', '传开', '上热搜', '热搜',
      '舆论', '舆情', '央视', '焦点访谈',
    ],
    vulnerable: [
      '老人', '老年人', '七旬', '八旬', '九旬', '残疾', '孕妇', '儿童', '小孩', '婴儿', '学生', '未成年', '低保',
      '五保', '孤寡', '独居', '留守', '重病', '癌症', '病重', '瘫痪', '失独', '困难户', '贫困户',
    ],
    sensitive: [
      '宗教', '民族矛盾', '邪教', '法轮', '涉军', '退役军人', '退伍军人', '老兵', '复员军人', '两会', '国庆', '党代会',
      '境外', '外国势力', '外媒', '境外媒体', '暴恐', '恐怖',
    ],
  },

  casualty: {
    death: [
      '死亡', '身亡', '遇难', '丧生', '丧命', '罹难', '致死', '猝死', '打死', '淹死', '摔死', '砸死', '烧死', '撞死',
      '毒死', '电死', '压死', '人死了',
    ],
    naturalDeath: ['去世', '过世', '病逝', '离世', '逝世'],
    injury: [
      '受伤', '受了伤', '受重伤', '受了重伤', '重伤', '轻伤', '伤亡', '中毒', '烫伤', '烧伤', '摔伤', '砸伤', '炸伤',
      '撞伤', '割伤', '打伤', '夹伤', '咬伤', '绞伤', '压伤', '刺伤', '砍伤', '骨折', '伤者',
    ],
    vaguePlural: ['多人', '多名', '多位', '数人', '数名', '不少人', '一些人', '很多人', '许多人', '大量'],
    vagueCount: 2,
    numeralDeathExceptions: ['了', '心', '活'],
    numeralInjuryExceptions: ['心', '害', '感', '痛', '残', '透'],
  },

  negation: {
    negators: [
      '并没有', '从来没有', '从没有', '从来没', '从未', '未曾', '绝对不会', '绝不会', '决不会', '不会', '不能', '不想',
      '不要', '不再', '不敢', '不打算', '绝不', '决不', '没有', '并未', '并非', '未造成', '没造成', '未发生', '没发生',
      '无人', '没人', '不是', '不', '没', '未', '别', '无', '勿',
    ],
    nonNegating: [
      '不得不', '不能不', '不会不', '不如', '不了', '不然', '不行', '不管', '不给', '不发', '不到', '不够', '不满',
      '不断', '不停', '不公', '不住', '不起', '不少', '不止', '不顾', '不理', '不清', '不还', '不退', '不解决',
      '不处理', '不让', '不准', '不听', '要不', '大不了', '逼不得已', '走投无路', '没办法', '没法', '没钱', '没有钱',
      '没有办法', '没人管', '无人管', '没人理', '无奈', '无法', '无论', '无果', '无偿', '无理', '无故', '无门', '别人',
      '未来', '没完', '非法', '非常', '不想活', '没活路', '没有活路', '不幸', '不治', '不慎', '不小心', '不明', '不知',
      '不料', '不久', '不同', '不堪', '不得', '不服', '不法', '不良', '不正当', '不当', '非正常', '无效', '无辜',
      '无证', '未成年', '没想到', '不公平', '无力',
    ],
    breakers: [
      '就', '便', '逼', '否则', '只能', '只好', '只有', '才', '的话', '干脆', '宁可', '要么', '但', '却', '而是',
      '还不如',
    ],
  },

  guards: {
    北京: {
      notFollowedBy: [
        '路', '街', '大道', '东路', '西路', '南路', '北路', '时间', '烤鸭', '现代', '华联', '银行', '市场', '某',
        '公司', '总部', '的公司',
      ],
    },
    中央: { notFollowedBy: ['空调', '厨房', '大街', '公园', '商场', '广场', '花园'] },
    省里: { notPrecededBy: ['节', '反'] },
    省城: { notPrecededBy: ['节'] },
    爆炸: {
      notPrecededBy: [
        '锅炉', '燃气', '煤气', '气罐', '液化气', '管道', '发生', '化工', '电池', '粉尘', '仓库', '工厂', '车间',
        '厂房', '鞭炮', '烟花', '轮胎', '热水器', '高压锅', '罐体',
      ],
      notFollowedBy: ['隐患', '危险', '风险', '事故'],
      riskOnly: true,
    },
    炸药: { notFollowedBy: ['库'], riskOnly: true },
    聚集: { notFollowedBy: ['场所', '区域', '地'] },
    停工: { notPrecededBy: ['责令', '勒令', '通知', '下令', '要求', '疫情'], riskOnly: true },
    停运: { notPrecededBy: ['线路', '公交', '地铁', '列车', '航班', '班车', '电梯', '暂时'] },
    冲击: { notPrecededBy: ['受到', '疫情', '市场', '经济'], notFollowedBy: ['钻', '力'] },
    死亡: { notFollowedBy: ['证明', '证', '率'], riskOnly: true },
    受伤: { notFollowedBy: ['害'] },
    中毒: { notPrecededBy: ['防止', '预防'] },
    喝药: { notFollowedBy: ['治', '看病'] },
    劫持: { notFollowedBy: ['软件', '流量'] },
    串联: { notFollowedBy: ['电路', '电池'] },
    咨询: { notFollowedBy: ['公司', '服务', '机构', '费', '师', '有限'] },
    负责: { notFollowedBy: ['人'] },
    身份证: { notFollowedBy: ['号'] },
    手机: { notFollowedBy: ['号'] },
    打死: { notFollowedBy: ['也不', '都不'] },
  },

  contextual: {
    window: 5,
    terms: {
      北京: ['去', '到', '赴', '上', '找', '告到', '反映', '上访', '信访', '举报', '投诉', '写信', '跑'],
      省里: ['去', '到', '赴', '上', '找', '告到', '反映', '上访', '信访', '举报', '投诉', '写信', '跑'],
      省城: ['去', '到', '赴', '上', '找', '告到', '反映', '上访', '信访', '举报', '投诉', '写信', '跑'],
      省政府: ['去', '到', '赴', '找', '告到', '反映', '上访', '信访', '举报', '投诉', '写信', '门口', '跑'],
      省委: ['去', '到', '赴', '找', '告到', '反映', '上访', '信访', '举报', '投诉', '写信', '门口', '跑'],
      省长: ['找', '告到', '反映', '举报', '投诉', '写信', '信箱', '热线', '留言'],
      省领导: ['找', '告到', '反映', '举报', '投诉', '写信', '信箱', '留言'],
      中央: ['去', '到', '找', '告到', '反映', '上访', '信访', '举报', '投诉', '写信'],
      国务院: ['去', '到', '找', '告到', '反映', '上访', '信访', '举报', '投诉', '写信', '留言', '督查'],
      媒体: ['找', '联系', '向', '告诉', '反映给', '发给', '曝光', '采访', '求助', '让'],
      记者: ['找', '联系', '向', '告诉', '反映给', '发给', '曝光', '采访', '求助', '让', '叫'],
      电视台: ['找', '联系', '向', '告诉', '反映给', '发给', '曝光', '采访', '求助', '让', '上'],
      报社: ['找', '联系', '向', '告诉', '反映给', '发给', '曝光', '采访', '求助'],
    },
  },

  people: {
    counters: ['人', '名', '户', '位'],
    personNouns: [
      '人', '员工', '工人', '村民', '业主', '投资人', '投资者', '出借人', '居民', '农民工', '农民', '职工', '学生',
      '家长', '群众', '住户', '农户', '商户', '会员', '储户', '老人', '患者', '病人', '孩子', '小孩', '儿童', '老师',
      '教师', '司机', '股民', '女工', '男工', '工友', '民工', '同事', '家庭', '租户', '购房者', '购房户', '拆迁户',
      '被拆迁户', '退休人员', '退休职工', '职员', '乘客', '消费者', '受害者', '受害人', '债权人', '客户', '学员',
      '渔民', '牧民', '菜农', '果农', '养殖户', '老兵', '退役军人', '志愿者', '妇女', '骑手', '外卖员', '快递员',
      '保洁员', '环卫工', '木工', '钢筋工', '教职工', '护士', '摊主', '店主',
    ],
    householdNouns: [
      '商户', '住户', '农户', '居民', '人', '人家', '养殖户', '种植户', '个体户', '业主', '村民', '店主', '摊主',
    ],
    otherSide: [
      '保安', '城管', '民警', '警察', '辅警', '协警', '干部', '村干部', '工作人员', '执法人员', '领导', '官员', '打手',
      '社会人员', '混混', '歹徒', '嫌疑人', '副主任', '主任', '镇长', '局长', '书记', '法官', '老板',
    ],
    counterExceptions: {
      名: ['义', '字', '额', '单', '下', '称', '声'],
      位: ['于', '置', '数'],
      人: ['民币', '均', '大代表'],
    },
    singular: ['我', '本人', '俺', '请问', '想问', '想咨询', '想了解', '买的', '购买的', '花了'],
    plural: [
      '我们', '咱们', '俺们', '大家', '大伙', '业主们', '村民们', '工人们', '职工们', '居民们', '员工们', '家长们',
      '群众们', '工友们', '多名', '多户', '多人', '多位', '多家', '众多', '全体', '一群', '许多人', '很多人', '不少人',
      '我村', '我司', '我厂', '我校', '我单位', '我公司', '我方', '我小区',
    ],
  },

  money: {
    units: ['元', '圆', '人民币', '块钱', '块'],
    cues: [
      '金额', '工资', '工钱', '薪', '欠', '款', '钱', '资金', '损失', '赔偿', '补偿', '涉案', '投资', '集资', '借',
      '贷', '罚', '费', '收入', '价', '报酬', '奖金', '利息', '本金', '存款', '贿赂', '受贿', '骗', '花了', '人民币',
      '押金', '定金', '租金', '违约金', '补贴',
    ],
    nonMoneyFollowers: '人名户位个家口亩平米吨公里斤辆套间栋台只头次年月天日小时分度倍方条张件棵株匹尾',
    peopleCues: ['人数', '人口', '户数'],
  },

  repeat: {
    verbs: [
      '反映', '反应', '投诉', '举报', '上访', '信访', '来访', '来信', '写信', '申诉', '求助', '交涉', '调解', '协调',
      '沟通', '催', '找', '去', '跑', '到', '打电话', '打了', '拨打', '致电', '打过', '上门', '登门', '讨要', '诉求',
      '提出', '递交', '反馈', '报警', '报案', '起诉',
    ],
  },

  topics: {
    labour: {
      工资: 3, 欠薪: 3, 讨薪: 3, 薪水: 2, 薪资: 2, 工钱: 3, 血汗钱: 3, 农民工: 3, 包工头: 3, 劳动合同: 3, 劳动局: 3,
      劳动监察: 3, 劳动仲裁: 3, 劳动关系: 3, 劳务: 2, 社保: 3, 社会保险: 3, 缴纳社保: 5, 被欠: 2, 欠了: 1, 养老保险: 3,
      养老金: 3, 退休金: 3, 工伤: 3, 辞退: 3, 开除: 2, 解雇: 3, 解除劳动: 3, 裁员: 3, 加班: 3, 加班费: 3, 绩效: 2,
      经济补偿: 2, 用人单位: 3, 员工: 1, 工人: 1, 女工: 2, 职工: 1, 工友: 2, 下岗: 3, 改制: 2, 买断工龄: 3, 工龄: 2,
      公积金: 2, 拖欠: 1, 试用期: 2, 失业: 2, 最低工资: 3, 最低生活费: 2, 年终奖: 2, 离职: 2, 入职: 2, 上班: 1, 打工: 2,
      骑手: 2, 灵活就业: 3, 旷工: 3, 班组: 2, 钢筋工: 2, 木工: 1, 放假: 1, 断缴: 2, 用工: 1, 每天工作: 2, 工作时间: 2,
      休息: 1, 超时: 1,
    },
    land: {
      征地: 3, 征收: 2, 拆迁: 3, 拆除: 2, 强拆: 3, 拆房: 3, 拆迁办: 3, 棚户区: 3, 棚改: 3, 安置: 2, 安置房: 2,
      补偿款: 2, 补偿标准: 2, 土地: 2, 耕地: 2, 承包地: 3, 土地承包: 3, 宅基地: 4, 占地: 2, 占了: 1, 亩: 2, 村委会: 1,
      村集体: 2, 集体土地: 3, 青苗: 3, 地上附着物: 3, 确权: 2, 土地流转: 3, 流转: 2, 林地: 2, 搬迁: 2, 旧改: 3,
      房屋征收: 3, 被征地: 3, 评估: 1, 估价: 2, 复核: 1, 过渡费: 3, 迁坟: 3, 祖坟: 3, 口粮田: 3, 退地: 3, 分红: 1,
      租金去向: 2,
    },
    environment: {
      污染: 3, 污水: 3, 排污: 3, 废水: 3, 废气: 3, 排放: 2, 偷排: 3, 直排: 2, 噪音: 3, 噪声: 3, 扰民: 2, 音响: 2,
      声音太大: 2, 睡不着: 2, 打桩: 3, 夜间违规施工: 3, 味道: 1, 味道太大: 3, 太吵: 2, 吵到: 2, 打桩机: 2, 粉尘: 3,
      扬尘: 3, 灰尘: 2, 异味: 2, 臭味: 2, 恶臭: 3, 臭气: 3, 很臭: 2, 刺鼻: 2, 气味: 1, 垃圾场: 3, 垃圾填埋: 3,
      垃圾中转站: 3, 建筑垃圾: 3, 垃圾: 1, 焚烧: 2, 环保: 3, 环评: 3, 生态: 2, 水库: 1, 河道: 2, 黑臭: 3, 水质: 2,
      饮用水: 1, 地下水: 2, 养殖场: 1, 化工: 1, 雾霾: 2, 油烟: 3, 辐射: 2, 砍伐: 2, 采砂: 3, 固废: 3, 危废: 3, 土壤: 2,
      死鱼: 2, 鱼都死了: 3, ktv: 1, 广场舞: 2, 倾倒: 2, 偷倒: 3, 废料: 2, 工业废料: 3, 河水: 2, 发黑: 2, 发臭: 2,
      鱼死: 3, 冒黑烟: 3, 黑烟: 2, 烟囱: 2, 黑灰: 2, 化工味: 3, 苍蝇: 1, 夜间施工: 2,
    },
    housing: {
      物业: 3, 物业费: 3, 物业公司: 3, 小区: 2, 业主: 2, 开发商: 3, 房产证: 3, 不动产证: 3, 不动产权证: 3, 产权: 2,
      烂尾: 3, 交房: 3, 交付: 1, 期房: 2, 购房: 2, 买房: 2, 房贷: 1, 房东: 2, 租房: 2, 退租: 3, 房租: 2, 押金: 1,
      楼道: 2, 电梯: 2, 漏水: 2, 渗水: 2, 维修基金: 3, 维修资金: 3, 公摊: 2, 绿地: 1, 商铺: 1, 楼盘: 3, 售楼处: 2,
      精装房: 3, 空鼓: 3, 房屋质量: 3, 装修: 1, 承重墙: 3, 车位: 2, 车库: 2, 业委会: 3, 业主委员会: 3, 房子: 1, 住房: 2,
      公租房: 3, 廉租房: 3, 保障房: 3, 二次供水: 3, 楼上: 1, 违规装修: 3,
    },
    finance: {
      集资: 3, 非法集资: 3, 吸收公众: 3, 公众存款: 3, 公众资金: 3, 理财: 3, 理财产品: 3, p2p: 3, 网贷: 3, 投资: 2,
      投资人: 3, 投资者: 2, 出借人: 3, 高息: 3, 高回报: 3, 年化: 3, 返利: 2, 本金: 3, 爆雷: 3, 暴雷: 3, 兑付: 3,
      私募: 3, 基金: 2, 股权: 2, 原始股: 3, 融资: 2, 庞氏: 3, 传销: 3, 发展下线: 3, 养老项目: 2, 投进去: 2, 养老钱: 2,
      金服: 2, 养老服务卡: 3, 失联: 1, 卷款: 2, 担保公司: 3, 小额贷款: 3, 低息贷款: 3, 贷款: 1, 借贷: 2, 银行: 1,
      虚拟币: 3, 数字货币: 3, 金融: 2, 炒股: 3, 提现: 2, 保本: 3, 误导销售: 3, 维权群: 1, 手续费: 1, 合法备案: 2,
      备案: 1,
    },
    safety: {
      安全隐患: 3, 隐患: 2, 事故: 3, 安全事故: 3, 火灾: 3, 起火: 3, 着火: 2, 消防: 3, 消防通道: 3, 灭火器: 2, 煤矿: 3,
      矿山: 3, 矿井: 3, 瓦斯: 3, 危险品: 3, 危化品: 3, 易燃易爆: 3, 烟花爆竹: 3, 火药: 2, 汽油: 2, 散装汽油: 3,
      加油站: 2, 液化气: 2, 煤气罐: 2, 工地: 1, 施工: 1, 建筑工地: 3, 不安全: 3, 回填: 2, 液化气罐: 3, 脚手架: 3,
      安全网: 3, 安全带: 3, 安全帽: 3, 高空作业: 3, 坍塌: 3, 塌方: 3, 倒塌: 2, 安全生产: 3, 违规作业: 3, 特种设备: 3,
      塔吊: 3, 操作证: 2, 锅炉: 2, 高空坠落: 3, 摔下来: 2, 触电: 2, 飞线: 3, 电动车: 2, 充电: 1, 私拉电线: 3, 漏气: 1,
      泄漏: 3, 储罐: 3, 防护措施: 2, 无证: 1, 小作坊: 2, 黑作坊: 2, 绞伤: 3, 爆炸: 2, 发生爆炸: 3, 安全: 1,
    },
    consumer: {
      商家: 3, 退款: 3, 退货: 3, 不给退: 3, 退钱: 2, 退费: 2, 质量问题: 2, 假货: 3, 假冒: 2, 伪劣: 3, 翻新机: 3,
      翻新: 2, 手机: 1, 网购: 3, 网上买: 2, 买的: 1, 购买: 1, 快递: 1, 包裹: 3, 弄丢: 2, 平台: 1, 淘宝: 2, 拼多多: 2,
      客服: 2, 售后: 3, 消费者: 3, 消费: 2, 预付卡: 3, 预付: 2, 充值: 2, 会员卡: 3, 年卡: 3, 办卡: 3, 课时费: 3,
      停课: 2, 健身房: 3, 美容: 2, 培训机构: 2, 过期: 2, 过期食品: 3, 保健品: 3, 食材: 2, 以次充好: 3, 缺斤少两: 3,
      短斤少两: 3, 价格欺诈: 3, 保修: 2, 三包: 3, '4s店': 3, 新车: 2, 发动机: 2, 超市: 2, 商场: 2, 定金: 2, 外卖: 1,
      强行推销: 3, 推销: 1, 无理由退货: 3, 店长: 2, 卷款跑: 2, 跑了: 1, 商务局: 2, 市场监管: 2,
    },
    litigation: {
      法院: 3, 判决: 3, 一审: 3, 二审: 3, 裁定: 2, 执行: 2, 执行局: 3, 强制执行: 3, 执行款: 3, 老赖: 3, 上诉: 3,
      再审: 3, 申诉: 2, 起诉: 3, 被告: 3, 诉讼: 3, 官司: 3, 立案: 3, 不予立案: 3, 报警: 2, 报案: 3, 报了案: 3, 公安: 2,
      派出所: 2, 被人打: 2, 刑警: 2, 案件: 3, 案子: 3, 诈骗: 2, 刷单: 2, 律师: 2, 法律援助: 3, 检察院: 3, 法官: 3,
      开庭: 3,
      胜诉: 3, 冤案: 3, 错案: 3, 司法: 2, 借条: 3, 被盗: 3, 犯罪: 2, 嫌疑人: 2, 伪造: 2, 民事纠纷: 2, 经济纠纷: 1,
      法律效力: 2, 拒不履行: 3, 违约金: 1, 打伤: 1,
    },
    conduct: {
      贪污: 3, 受贿: 3, 收受贿赂: 3, 贿赂: 3, 索贿: 3, 行贿: 3, 腐败: 3, 吃拿卡要: 3, 滥用职权: 3, 以权谋私: 3,
      不作为: 3, 乱作为: 2, 作风: 3, 态度恶劣: 3, 态度很差: 3, 态度差: 2, 态度粗暴: 3, 服务态度: 2, 刁难: 2, 推诿: 1,
      官僚: 2, 镇长: 2, 乡长: 2, 村支书: 3, 村主任: 2, 村干部: 2, 书记: 2, 局长: 2, 干部: 2, 副主任: 2, 公务员: 2,
      民警: 2, 工作人员: 1, 网格员: 2, 纪委: 3, 违纪: 3, 公款: 3, 招标: 2, 围标: 2, 优亲厚友: 3, 亲戚: 2, 低保名额: 3,
      表扬: 5, 锦旗: 3, 很负责: 2, 城管: 1, 点赞: 1, 感谢: 2, 辛苦付出: 2, 为民办实事: 3, 尽职尽责: 2, 办事效率: 2,
      执法人员: 2,
      暴力执法: 3, 推搡: 2, 截留: 2, 挪用: 2, 虚报: 3, 骗取: 2, 冒领: 2, 暗示: 2, 指定公司: 3, 中介: 1, 打游戏: 3,
      上班时间: 2, 服务中心: 1, 监察大队: 1, 监察: 1, 营商: 2,
    },
    public_service: {
      供水: 3, 停水: 3, 自来水: 2, 水压: 2, 供电: 3, 停电: 3, 电费: 2, 燃气: 3, 天然气: 3, 煤气: 2, 供暖: 3, 暖气: 3,
      供热: 3, 公交: 3, 公交车: 3, 公交站: 3, 公交卡: 3, 地铁: 2, 班车: 2, 道路: 2, 路灯: 3, 修路: 2, 公路: 1,
      红绿灯: 3, 交通部门: 3, 堵车: 2, 学校: 2, 学区: 3, 入学: 3, 上学: 1, 学位: 2, 教育局: 3, 幼儿园: 2, 医院: 2,
      挂号: 3, 号源: 3, 看病: 2, 医疗: 2, 医保: 2, 异地备案: 3, 报销: 1, 结算: 1, 户口: 3, 落户: 3, 户籍: 2, 居住证: 3,
      身份证: 2, 办证: 1, 办理: 1, 低保: 2, 救助: 2, 养老院: 2, 残疾证: 3, 公共厕所: 3, 公厕: 3, 管网: 3, 污水管网: 5,
      水管: 2, 下水道: 2, 井盖: 3, 出租车: 2, 政务服务: 1, 便民: 2, 新生儿: 2, 补贴: 1, 稳岗补贴: 3, 奖励资金: 3,
      补贴政策: 2, 网络信号: 2, 宽带: 2, 供电公司: 3, 燃气公司: 3, 线路检修: 3, 改线: 3, 站台: 2,
    },
    other: {
      回访: 3, 答复: 1, 处理结果: 1, 处理进度: 3, 办理结果: 2, 反馈: 1, 跟进: 2, 上次反映: 3, 之前反映: 2,
      反映的问题: 2, 热线: 2, 没有回复: 1, 供应商: 3, 货款: 3, 企业之间: 3, 合同纠纷: 2, 合作方: 2, 催收: 2, 邻居: 3,
      邻里: 3, 谣言: 3, 传言: 3, 网上流传: 3, 网传: 3, 是真的吗: 2, 流传: 2, 澄清: 3, 造谣: 3, 家庭纠纷: 3, 婚姻: 2,
      离婚: 2, 赡养: 2,
      继承: 2, 遗产: 2, 宠物: 2, 消费券: 2, 狗: 2, 鸽子: 3, 杂物: 2, 小企业: 1, 小微企业: 2, 倒闭: 1,
    },
  },

  repeatedKeywordFactor: 0.5,

  topicPriority: [
    'labour', 'land', 'finance', 'environment', 'housing', 'safety', 'consumer', 'litigation', 'conduct',
    'public_service', 'other',
  ],

  sentiment: {
    negative: {
      拖欠: 1, 欠薪: 1, 欠款: 1, 欠缴: 1, 讨薪: 1, 讨不回: 1, 讨说法: 1, 要个说法: 1, 给个说法: 1, 不给: 1, 不发: 1,
      没发: 1, 不管: 1, 没人管: 1, 无人管: 1, 没人理: 1, 不理: 1, 不处理: 1, 不作为: 1, 乱作为: 1, 推诿: 1, 扯皮: 1,
      踢皮球: 1, 敷衍: 1, 投诉: 1, 举报: 1, 控告: 1, 检举: 1, 诈骗: 1, 被骗: 1, 骗取: 1, 欺骗: 1, 坑: 1, 违法: 1,
      违规: 1, 违章: 1, 私自: 1, 擅自: 1, 偷偷: 1, 强制: 1, 强行: 1, 强拆: 1, 霸占: 1, 侵占: 1, 占用: 1, 污染: 1, 臭: 1,
      噪音: 1, 扰民: 1, 刺鼻: 1, 太吵: 1, 隐患: 1, 危险: 1, 事故: 1, 倒闭: 1, 跑路: 1, 失联: 1, 关机: 1, 卷款: 1,
      无果: 1, 没有结果: 1, 没用: 1, 没有用: 1, 没签: 1, 未签: 1, 克扣: 1, 扣: 0.5, 无偿: 1, 辞退: 1, 开除: 1, 拒绝: 1,
      拒不: 1, 拖延: 1, 拖了: 1, 迟迟: 1, 一直没: 1, 还没: 0.5, 至今未: 1, 至今没: 1, 不了了之: 1, 影响: 0.5,
      提心吊胆: 1, 担心: 0.5, 害怕: 1, 恐慌: 1, 不满: 1, 不满意: 1.5, 愤怒: 1, 气愤: 1, 无奈: 1, 失望: 1, 太差: 1,
      很差: 1, 越来越差: 1, 极差: 1, 翻新机: 1, 假货: 1, 假冒: 1, 伪劣: 1, 过期: 0.5, 不给退: 1, 不退: 1, 贿赂: 1,
      受贿: 1, 贪污: 1, 腐败: 1, 索贿: 1, 吃拿卡要: 1, 滥用职权: 1, 刁难: 1, 打压: 1, 威胁: 1, 恐吓: 1, 殴打: 1,
      打人: 1, 推搡: 1, 粗暴: 1, 恶劣: 1, 损失: 1, 倒卖: 1, 乱收费: 1, 漏水: 0.5, 漏气: 1, 老化: 0.5, 坏了: 0.5,
      不方便: 0.5, 困难: 0.5, 难受: 1, 头晕: 1, 不安全: 1, 取不出来: 1, 拿不回来: 1, 联系不上: 1, 不见人: 1, 躲着: 1,
      不兑付: 1, 不兑现: 1, 没有兑现: 1, 误导: 1, 亏了: 1, 骗了: 1, 被盗: 1, 不立案: 1, 不予立案: 1, 执行不到: 1,
      没有下文: 1, 没有回音: 1, 没有回复: 0.5, 维权: 0.5, 要求: 0.5, 希望: 0.5, 恳请: 0.5, 请求: 0.5, 尽快: 0.5,
      务必: 0.5, 核实处理: 0.5, 严惩: 1, 纠纷: 0.5, 报警: 0.5, 不听: 0.5, 不改: 0.5, 吃不消: 1, 睡不着: 1, 不敢: 0.5,
      泡了: 0.5, 裂了: 0.5, 过不下去: 1, 不肯: 1, 没给: 1, 发黑: 1, 发臭: 1, 倾倒: 1, 偷倒: 1, 偷排: 1, 无法: 0.5,
      关门: 0.5, 不合理: 1, 虐待: 1, 只给: 0.5, 没解决: 1, 没有解决: 1, 未解决: 1, 为名: 0.5, 欠税: 1, 查处: 0.5,
      找不到人: 1, 找不到: 0.5, 故障: 1, 没人: 0.5,
      高价: 0.5, 推销: 0.5, 三天两头: 1, 困过人: 1, 困人: 1, 办不下: 1, 操纵: 1, 作废: 0.5, 不认: 1, 怀疑: 0.5,
      传销: 1, 染黑: 1, 死了: 0.5, 暗示: 0.5,
    },
    // A bare 谢谢 is a closing formula (盼复，谢谢！) and not praise; thanks addressed to someone is.
    positive: {
      感谢: 1.5, 谢谢你们: 1, 谢谢您: 1, 谢谢他们: 1, 谢谢各位: 1, 多谢你们: 1, 感激: 1, 表扬: 1.5, 满意: 1, 点赞: 1.5,
      称赞: 1, 赞扬: 1, 好评: 1, 及时: 0.5,
      耐心: 1, 热情: 1, 很负责: 1, 负责任: 1, 认真负责: 1, 辛苦付出: 1, 辛苦了: 1, 尽职尽责: 1, 锦旗: 1, 高效: 1,
      周到: 1, 细致: 1, 暖心: 1, 贴心: 1, 给力: 1, 到位: 0.5, 不错: 1, 非常好: 1, 态度好: 1, 很快就解决: 1, 解决了: 0.5,
      帮我找回: 1, 追回了: 1, 为民办实事: 1, 主动: 0.5,
    },
    consult: [
      '咨询', '请问', '想问', '问一下', '想了解', '了解一下', '怎么办理', '如何办理', '怎么申请', '如何申请',
      '需要什么', '需要哪些', '什么材料', '什么条件', '多长时间', '多久', '是否', '能否', '可否', '可不可以', '能不能',
      '有没有', '算不算', '在哪里', '哪里可以', '什么时候', '怎么缴纳', '怎么维权', '如何维权', '怎么核实',
      '是不是真的', '应该找', '应该打', '?',
    ],
    degree: {
      非常: 1.5, 很: 1.5, 特别: 1.5, 十分: 1.5, 极其: 1.8, 太: 1.5, 真: 1.3, 真的: 1.3, 超级: 1.5, 相当: 1.3, 严重: 1.5,
      越来越: 1.3, 一直: 1.2, 实在: 1.3, 格外: 1.5,
    },
    negators: ['不', '没', '未', '无', '别', '非'],
    defaultLabel: 'negative',
    defaultScore: -0.1,
    riskTermWeight: 1,
    questionClauseFactor: 0.5,
    consultNegativeMin: 2,
    consultPositiveMin: 2,
    flipFactor: 0.8,
    neutralScoreLimit: 0.2,
  },

  maxRiskTerms: 100,
};
