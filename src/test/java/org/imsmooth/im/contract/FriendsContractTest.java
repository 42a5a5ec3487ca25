package org.imsmooth.im.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.imsmooth.im.api.ItemFailure;
import org.imsmooth.im.api.TagValue;
import org.imsmooth.im.api.sns.AddFriendItem;
import org.imsmooth.im.api.sns.FriendData;
import org.imsmooth.im.api.sns.FriendGetRequest;
import org.imsmooth.im.api.sns.FriendGetResult;
import org.imsmooth.im.api.sns.FriendImportRequest;
import org.imsmooth.im.api.sns.FriendImportResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** friend_import and friend_get. */
class FriendsContractTest extends ContractTestBase {

    @Test
    void friendImportThenFriendGetReturnsEveryField() {
        importAccounts("alice", "bob", "carol");
        FriendImportResult r = friends.friendImport(new FriendImportRequest("alice", List.of(
                new AddFriendItem("bob", "AddSource_Type_Android", "Bobby", null, List.of("work"), "hi bob", 1_600_000_000L,
                        List.of(TagValue.of("Tag_SNS_Custom_Level", "gold"))),
                AddFriendItem.of("carol", "AddSource_Type_Web"))));
        assertThat(r.allSucceeded()).isTrue();
        assertThat(r.resultItem()).extracting(i -> i.toAccount() + ":" + i.resultCode()).containsExactly("bob:0", "carol:0");

        FriendGetResult page = friends.friendGet(FriendGetRequest.page("alice", 0));
        assertThat(page.complete()).isTrue();
        assertThat(page.friendNum()).isEqualTo(2);
        Map<String, FriendData> byPeer = page.userDataItem().stream().collect(Collectors.toMap(FriendData::toAccount, f -> f));
        Map<String, Object> bob = byPeer.get("bob").valueItem().stream().collect(Collectors.toMap(TagValue::tag, TagValue::value));
        assertThat(bob).containsEntry("Tag_SNS_IM_AddSource", "AddSource_Type_Android")
                .containsEntry("Tag_SNS_IM_Remark", "Bobby")
                .containsEntry("Tag_SNS_IM_Group", List.of("work"))
                .containsEntry("Tag_SNS_IM_AddWording", "hi bob")
                .containsEntry("Tag_SNS_Custom_Level", "gold");
        assertThat(((Number) bob.get("Tag_SNS_IM_AddTime")).longValue()).isEqualTo(1_600_000_000L);
        // One-way: bob has no friends.
        assertThat(friends.friendGet(FriendGetRequest.page("bob", 0)).friendNum()).isZero();
    }

    @Test
    void friendGetPagesWithNextStartIndexUntilComplete() {
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            peers.add("peer" + i);
        }
        importAccounts(peers.toArray(String[]::new));
        importAccounts("owner");
        friends.friendImport(new FriendImportRequest("owner", peers.stream().map(p -> AddFriendItem.of(p, "AddSource_Type_X")).toList()));
        List<String> seen = new ArrayList<>();
        FriendGetResult page = friends.friendGet(FriendGetRequest.page("owner", 0));
        seen.addAll(page.userDataItem().stream().map(FriendData::toAccount).toList());
        int guard = 0;
        while (!page.complete() && guard++ < 10) {
            page = friends.friendGet(FriendGetRequest.page("owner", page.nextStartIndex()));
            seen.addAll(page.userDataItem().stream().map(FriendData::toAccount).toList());
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(peers);
        assertThat(page.friendNum()).isEqualTo(5);
    }

    @Test
    void friendImportReportsExactlyTheTwoBadPeers() {
        importAccounts("dave", "erin", "frank");
        FriendImportResult r = friends.friendImport(new FriendImportRequest("dave", List.of(
                AddFriendItem.of("erin", "AddSource_Type_Web"),
                AddFriendItem.of("not-imported", "AddSource_Type_Web"),
                AddFriendItem.of("frank", "no-prefix-source"))));
        assertThat(r.failedItems()).extracting(ItemFailure::itemId).containsExactly("not-imported", "frank");
        assertThat(r.failedItems()).extracting(ItemFailure::code).doesNotContain(0, ItemFailure.UNKNOWN_CODE);
        assertThat(r.failedItems()).filteredOn(f -> f.itemId().equals("frank")).extracting(ItemFailure::code).containsExactly(30001);
        assertThat(r.invalidAccount()).containsExactly("not-imported");
        // Only erin landed.
        assertThat(friends.friendGet(FriendGetRequest.page("dave", 0)).userDataItem())
                .extracting(FriendData::toAccount).containsExactly("erin");
    }

    @Test
    void friendImportAndFriendGetForAnUnknownUserFail() {
        importAccounts("gina");
        permanent(30003, () -> friends.friendImport(new FriendImportRequest("nobody",
                List.of(AddFriendItem.of("gina", "AddSource_Type_Web")))));
        permanent(30003, () -> friends.friendGet(FriendGetRequest.page("nobody", 0)));
        permanent(30001, () -> friends.friendImport(new FriendImportRequest("gina", List.of())));
    }
}
